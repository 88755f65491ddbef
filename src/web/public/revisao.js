'use strict';
(function () {
  var R = window.Resync;
  var PAGE = 50;
  var STATUS_LABELS = { pending: 'pendente', approved: 'aprovada', rejected: 'rejeitada' };
  var list = document.getElementById('flags');
  var message = document.getElementById('message');
  var empty = document.getElementById('empty');
  var more = document.getElementById('more');
  var filters = document.getElementById('filters');
  var loaded = 0;

  function say(text, kind) {
    message.textContent = text || '';
    message.className = 'message' + (kind ? ' message-' + kind : '');
  }

  function currentFilter() {
    return { status: filters.elements.status.value, query: filters.elements.query.value.trim() };
  }

  function loadMetrics() {
    return R.api('/api/audit/metrics').then(function (counts) {
      ['pending', 'approved', 'rejected', 'total'].forEach(function (name) {
        var node = document.querySelector('[data-metric="' + name + '"]');
        node.textContent = typeof counts[name] === 'number' ? String(counts[name]) : '–';
      });
    });
  }

  function block(title, text, className) {
    return R.el('div', { className: 'block' }, [
      R.el('h3', { text: title }),
      R.el('pre', { className: className, text: text }),
    ]);
  }

  function renderFlag(flag) {
    var status = STATUS_LABELS[flag.status] ? flag.status : 'unknown';
    var isConversation = !flag.memory_kind || flag.memory_kind === 'conversation';
    var item = R.el('li', { className: 'flag', 'data-memory-id': flag.memory_id, 'data-status': status }, [
      R.el('div', { className: 'meta' }, [
        R.el('span', { className: 'badge status-' + status, text: STATUS_LABELS[status] || String(flag.status) }),
        ' ',
        R.el('code', { className: 'memory-id', text: flag.memory_id }),
        ' · agente ',
        R.el('span', { className: 'agent', text: flag.agent_id || '—' }),
        ' · ',
        R.el('span', { text: R.formatDate(flag.created_at) }),
        ' · confiança ',
        R.el('span', { className: 'confidence', text: Math.round(Number(flag.confidence) * 100) + '%' }),
      ]),
      R.el('p', { className: 'reason', text: flag.reason }),
      // Threads, documents, facts and notes show where they come from and their (redacted) text.
      block(isConversation ? 'Pergunta' : 'Origem', flag.user_query, 'user-query'),
      block(isConversation ? 'Resposta' : 'Conteúdo', flag.agent_response, 'agent-response'),
    ]);
    if (status === 'pending') {
      item.appendChild(
        R.el('div', { className: 'actions' }, [
          R.el('button', { type: 'button', className: 'approve', 'data-action': 'approve', text: 'Aprovar' }),
          R.el('button', { type: 'button', className: 'reject', 'data-action': 'reject', text: 'Rejeitar' }),
        ]),
      );
    } else {
      item.appendChild(
        R.el('p', { className: 'decision' }, [
          (STATUS_LABELS[status] || status) + ' por ',
          R.el('strong', { text: flag.reviewer || '—' }),
          ' em ' + R.formatDate(flag.reviewed_at),
        ]),
      );
    }
    return item;
  }

  function loadFlags(append) {
    var filter = currentFilter();
    var params = new URLSearchParams({
      status: filter.status,
      limit: String(PAGE),
      offset: String(append ? loaded : 0),
    });
    if (filter.query) params.set('query', filter.query);
    return R.api('/api/audit/flags?' + params.toString()).then(function (flags) {
      if (!append) {
        R.clear(list);
        loaded = 0;
      }
      flags.forEach(function (flag) {
        list.appendChild(renderFlag(flag));
      });
      loaded += flags.length;
      empty.hidden = loaded > 0;
      more.hidden = flags.length < PAGE;
    });
  }

  function refresh() {
    return Promise.all([loadMetrics(), loadFlags(false)]).catch(function (error) {
      say(R.explain(error), 'error');
    });
  }

  function review(item, action, buttons) {
    var memoryId = item.getAttribute('data-memory-id');
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    R.api('/api/audit/review', { method: 'POST', body: { memory_id: memoryId, action: action } })
      .then(function (result) {
        say('Memória ' + result.memory_id + ' ' + (STATUS_LABELS[result.status] || result.status) + '.', 'ok');
        return refresh();
      })
      .catch(function (error) {
        say(R.explain(error), 'error');
        if (error.status === 409 || error.status === 404) return refresh();
        buttons.forEach(function (button) {
          button.disabled = false;
        });
      });
  }

  list.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (!button) return;
    var item = button.closest('li.flag');
    review(
      item,
      button.getAttribute('data-action'),
      Array.prototype.slice.call(item.querySelectorAll('button[data-action]')),
    );
  });

  filters.addEventListener('submit', function (event) {
    event.preventDefault();
    say('');
    refresh();
  });

  more.addEventListener('click', function () {
    loadFlags(true).catch(function (error) {
      say(R.explain(error), 'error');
    });
  });

  R.setupCredentials(document.getElementById('credentials'), refresh);
  refresh().then(function () {
    document.body.setAttribute('data-ready', 'true');
  });
})();
