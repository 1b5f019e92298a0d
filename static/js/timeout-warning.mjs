// Session timeout warning (GOV.UK timeout warning pattern) and keeping what the user typed.
// Progressive enhancement: without JavaScript the session still ends after the idle time
// and each page load starts it again; nothing here is needed to use the service.
//
// - Opens the dialog in templates/includes/timeout_warning.html `data-warning` seconds
//   before the idle session (`data-timeout` seconds from this page load) ends, counts down,
//   and "Stay signed in" posts to the extend endpoint without leaving the page.
// - What the user types into a form is saved in sessionStorage (never passwords, files or
//   tokens). If the session ends (the warning ran out, or a form was posted after it had
//   ended and the sign-in page came back), the saved values are put back into the same
//   form when the user returns to the page after signing in again.

const DRAFT = "app-draft:";
const PENDING = "app-pending:";
const RESTORE = "app-restore:";
const SKIP_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

function storage() {
  try {
    const probe = "app-probe";
    window.sessionStorage.setItem(probe, probe);
    window.sessionStorage.removeItem(probe);
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function formKey(form, index) {
  return `${DRAFT}${window.location.pathname}#${form.id || index}`;
}

function keptFields(form) {
  return Array.from(form.elements).filter(
    (el) => el.name && !SKIP_TYPES.has(el.type) && el.name !== "csrfmiddlewaretoken" && !el.disabled,
  );
}

function save(store, form, index) {
  const values = {};
  for (const el of keptFields(form)) {
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked) (values[el.name] ||= []).push(el.value);
      else values[el.name] ||= [];
    } else if (el.multiple) {
      values[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      values[el.name] = [el.value];
    }
  }
  store.setItem(formKey(form, index), JSON.stringify(values));
}

function restore(store, form, index) {
  const raw = store.getItem(formKey(form, index));
  if (!raw) return false;
  const values = JSON.parse(raw);
  for (const el of keptFields(form)) {
    const kept = values[el.name];
    if (!kept) continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = kept.includes(el.value);
    else if (el.multiple) for (const option of el.options) option.selected = kept.includes(option.value);
    else el.value = kept[0] ?? "";
  }
  return true;
}

export function keepDrafts(loginUrl) {
  const store = storage();
  if (!store || !loginUrl) return;
  const onLoginPage = window.location.pathname === new URL(loginUrl, window.location.href).pathname;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i));
  for (const key of keys) {
    if (!key.startsWith(PENDING)) continue;
    // A form was posted; landing on the sign-in page means the session had ended: keep it.
    if (onLoginPage) store.setItem(RESTORE + key.slice(PENDING.length), "1");
    else store.removeItem(DRAFT + key.slice(PENDING.length));
    store.removeItem(key);
  }
  const forms = Array.from(document.querySelectorAll("main form[method='post' i]"));
  let restored = false;
  forms.forEach((form, index) => {
    const key = formKey(form, index).slice(DRAFT.length);
    if (store.getItem(RESTORE + key)) {
      restored = restore(store, form, index) || restored;
      store.removeItem(RESTORE + key);
    }
    form.addEventListener("input", () => save(store, form, index));
    form.addEventListener("change", () => save(store, form, index));
    form.addEventListener("submit", () => {
      save(store, form, index);
      store.setItem(PENDING + key, "1");
    });
  });
  if (restored) {
    const main = document.querySelector("main");
    const notice = document.createElement("div");
    notice.className = "govuk-inset-text app-restored";
    notice.setAttribute("role", "status");
    notice.textContent = "You were signed out, so we kept what you had typed and put it back. Check it and save again.";
    main.prepend(notice);
  }
}

function markAllForRestore(store) {
  const forms = Array.from(document.querySelectorAll("main form[method='post' i]"));
  forms.forEach((form, index) => {
    save(store, form, index);
    store.setItem(RESTORE + formKey(form, index).slice(DRAFT.length), "1");
  });
}

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initTimeoutWarning(dialog) {
  const store = storage();
  const loginUrl = dialog.dataset.loginUrl;
  if (typeof dialog.showModal !== "function") return;

  const timeout = Number(dialog.dataset.timeout) * 1000;
  const warning = Number(dialog.dataset.warning) * 1000;
  const countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  const announce = dialog.querySelector(".app-timeout-dialog__announce");
  const extend = dialog.querySelector(".app-timeout-dialog__extend");
  let endsAt = Date.now() + timeout;
  let warnTimer = null;
  let tick = null;
  let lastFocus = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    warnTimer = window.setTimeout(open, Math.max(endsAt - Date.now() - warning, 0));
  }

  function signedOut() {
    window.clearInterval(tick);
    if (store) markAllForRestore(store);
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${loginUrl}?next=${next}&timed_out=1`);
  }

  function update(announceIt) {
    const left = Math.max(Math.round((endsAt - Date.now()) / 1000), 0);
    countdown.textContent = words(left);
    if (announceIt) announce.textContent = `We will sign you out in ${words(left)}.`;
    if (left <= 0) signedOut();
  }

  function open() {
    lastFocus = document.activeElement;
    update(true);
    dialog.showModal();
    let seconds = 0;
    tick = window.setInterval(() => {
      seconds += 1;
      const left = Math.round((endsAt - Date.now()) / 1000);
      update(left <= 20 ? left % 5 === 0 : seconds % 60 === 0); // screen readers: not every second
    }, 1000);
  }

  function close() {
    window.clearInterval(tick);
    dialog.close();
    announce.textContent = "";
    if (lastFocus && typeof lastFocus.focus === "function") lastFocus.focus();
  }

  extend.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(extend.action, {
        method: "POST",
        body: new FormData(extend),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || response.redirected) throw new Error("signed out");
      const data = await response.json();
      endsAt = Date.now() + data.expires_in * 1000;
      close();
      schedule();
    } catch {
      signedOut();
    }
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape means "stay signed in", as closing the GOV.UK warning does.
    event.preventDefault();
    extend.requestSubmit();
  });
  schedule();
}
