// The registration form shows nationality, sex and birth date only for the documents that need
// them. Without script every field shows and the server says which it needs.
(() => {
  const type = document.getElementById('documentType');
  if (!type) return;
  const update = () => {
    const value = type.value;
    const foreign = value === 'foreign_passport' || value === 'foreign_permanent_resident_id';
    const gb11643 = value === 'resident_id' || value === 'residence_permit';
    document.querySelectorAll('[data-for="foreign"]').forEach(e => { e.hidden = !foreign; });
    document.querySelectorAll('[data-for="stated"]').forEach(e => { e.hidden = gb11643; });
  };
  type.addEventListener('change', update);
  update();
})();
