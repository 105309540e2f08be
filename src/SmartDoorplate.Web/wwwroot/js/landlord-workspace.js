// The landlord's workspace, smoother: a confirm or reject posts the very form the page would post
// (same handler, same anti-forgery field, same redirect) with fetch, and the list is swapped in place
// so the landlord stays where they were instead of reloading at the top. Without this script the
// server's redirect to the same filter and page, with the neighbouring card as the anchor, does the same.

const root = () => document.getElementById('workspace');

function viewportTop(element) {
  return element ? element.getBoundingClientRect().top : null;
}

async function post(form, submitter) {
  const body = new FormData(form);
  if (submitter?.name) body.append(submitter.name, submitter.value);
  const response = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin' });
  const html = await response.text();
  return { response, page: new DOMParser().parseFromString(html, 'text/html') };
}

// The full-room question is shown inside the card it is about; Cancel puts the card's buttons back.
function showStep(card, step) {
  const decisions = [...card.querySelectorAll('.decisions, details.reject')];
  decisions.forEach((element) => { element.hidden = true; });
  const imported = document.importNode(step, true);
  imported.removeAttribute('id');
  imported.classList.add('in-card');
  card.append(imported);
  imported.querySelector('a.cancel')?.addEventListener('click', (event) => {
    event.preventDefault();
    imported.remove();
    decisions.forEach((element) => { element.hidden = false; });
    card.querySelector('button.confirm')?.focus();
  });
  imported.querySelector('button[type=submit]')?.focus({ preventScroll: true });
}

function swap(page, response, card, next) {
  const fresh = page.getElementById('workspace');
  // Not the workspace (a server error, a signed-out session): show what is true now the plain way.
  if (!fresh) { if (response.redirected) window.location.assign(response.url); else window.location.reload(); return; }
  // Where the landlord's eyes were: the decided card's top, which its neighbour now takes.
  const before = viewportTop(card);
  root().replaceWith(fresh);
  if (response.redirected) window.history.replaceState(null, '', response.url);
  const anchor = (next && document.getElementById(`r-${next}`)) || (card && document.getElementById(card.id)) || document.getElementById('list');
  if (anchor && before !== null) window.scrollBy(0, viewportTop(anchor) - before);
  anchor?.focus({ preventScroll: true });
  const counts = page.getElementById('counts');
  if (counts) document.getElementById('counts')?.replaceWith(counts);
}

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-in-place]');
  if (!form || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  const card = form.closest('article.tenant');
  const next = form.querySelector('input[name=next]')?.value;
  form.querySelectorAll('button').forEach((button) => { button.disabled = true; });
  try {
    const { response, page } = await post(form, event.submitter);
    const step = page.getElementById('full-room');
    if (step && card) { showStep(card, step); return; }
    swap(page, response, card, next);
  } catch {
    // The network failed: fall back to the plain form post, which shows the server's own answer.
    form.removeAttribute('data-in-place');
    form.submit();
  } finally {
    form.querySelectorAll('button').forEach((button) => { button.disabled = false; });
  }
});

// A room belongs to one building: choosing another building clears it.
document.getElementById('filter-building')?.addEventListener('change', () => {
  const room = document.getElementById('filter-room');
  if (room) room.value = '';
});

// The filter's empty fields stay out of the address, so links and history read "?building=7&status=pending".
document.getElementById('filter')?.addEventListener('formdata', (event) => {
  for (const [key, value] of [...event.formData.entries()]) if (value === '') event.formData.delete(key);
});
