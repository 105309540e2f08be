// Moves focus to a form's error summary after a failed submit, and a link in it to its field
// (the browser would scroll to the field but leave focus on the link). Shared/_ErrorSummary.cshtml.
(() => {
  const summary = document.getElementById('error-summary');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', event => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: 'center' });
    field.focus();
  });
})();
