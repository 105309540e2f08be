// 巡查签到: the form posts without JavaScript too; here the browser's position, when it gives one,
// is put into the hidden fields first. Asked on the tap, not on page load: an officer only grants
// the location to check in. Refused, or no answer in time → the check-in goes without a position.
const form = document.getElementById('patrol-check-in');
if (form && 'geolocation' in navigator) {
  const button = document.getElementById('patrol-submit');
  const status = document.getElementById('patrol-status');
  let located = false;

  form.addEventListener('submit', (event) => {
    if (located) return;
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    status.textContent = form.dataset.locating;
    // A prompt left unanswered never calls back: check in without a position after a while.
    const fallback = setTimeout(() => send(), 15000);
    const send = () => {
      if (located) return;
      located = true;
      clearTimeout(fallback);
      form.submit();
    };
    navigator.geolocation.getCurrentPosition((position) => {
      document.getElementById('patrol-lat').value = position.coords.latitude.toFixed(7);
      document.getElementById('patrol-lon').value = position.coords.longitude.toFixed(7);
      document.getElementById('patrol-accuracy').value = position.coords.accuracy.toFixed(1);
      send();
    }, send, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });

  // Back from the confirmation (page cache): ready for another check-in, with a fresh position.
  window.addEventListener('pageshow', () => {
    located = false;
    button.disabled = false;
    status.textContent = '';
  });
}
