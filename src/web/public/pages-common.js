'use strict';
// Shared by the review and dashboard pages. Every text from the server goes into the DOM through
// textContent or attributes set one by one: nothing is ever parsed as HTML.
(function () {
  var KEY_STORE = 'resync.credentials';
  var HEADERS = { 'api-key': 'X-API-Key', 'internal-token': 'X-Internal-Token' };

  function loadCredentials() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(KEY_STORE) || 'null');
      return saved && HEADERS[saved.kind] && typeof saved.value === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  function saveCredentials(kind, value) {
    if (!value) sessionStorage.removeItem(KEY_STORE);
    else sessionStorage.setItem(KEY_STORE, JSON.stringify({ kind: kind, value: value }));
  }

  /** JSON request to our own API; rejects with an Error carrying `status` and the server's message. */
  function api(path, options) {
    options = options || {};
    var headers = { Accept: 'application/json' };
    var credentials = loadCredentials();
    if (credentials) headers[HEADERS[credentials.kind]] = credentials.value;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        if (!res.ok) {
          var error = new Error((body && typeof body.error === 'string' && body.error) || 'HTTP ' + res.status);
          error.status = res.status;
          throw error;
        }
        return body;
      });
    });
  }

  /** el('p', {className: 'x', 'data-id': id}, ['text', otherNode]) — strings become text nodes. */
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'className') node.className = String(value);
      else if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === undefined || child === null) return;
      node.appendChild(
        typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
      );
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function formatDate(iso) {
    if (!iso) return '';
    var date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  }

  function explain(error) {
    if (error && (error.status === 401 || error.status === 403)) {
      return (
        'Acesso negado (' + error.status + '): informe uma credencial com permissão em "Credenciais". ' + error.message
      );
    }
    return (error && error.message) || String(error);
  }

  /** Fills the page's "Credenciais" slot with a small form kept in this tab's sessionStorage. */
  function setupCredentials(slot, onSaved) {
    if (!slot) return;
    var kind = el('select', { name: 'kind' }, [
      el('option', { value: 'api-key', text: 'X-API-Key' }),
      el('option', { value: 'internal-token', text: 'X-Internal-Token' }),
    ]);
    var value = el('input', {
      name: 'value',
      type: 'password',
      autocomplete: 'off',
      placeholder: 'vazio = sem credencial',
    });
    var form = el('form', { className: 'toolbar' }, [
      kind,
      value,
      el('button', { type: 'submit', text: 'Salvar nesta aba' }),
    ]);
    slot.appendChild(el('details', { className: 'credentials' }, [el('summary', { text: 'Credenciais' }), form]));
    var saved = loadCredentials();
    if (saved) kind.value = saved.kind;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      saveCredentials(kind.value, value.value);
      value.value = '';
      if (onSaved) onSaved();
    });
  }

  window.Resync = {
    api: api,
    el: el,
    clear: clear,
    formatDate: formatDate,
    explain: explain,
    setupCredentials: setupCredentials,
  };
})();
