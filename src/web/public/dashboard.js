'use strict';
(function () {
  var R = window.Resync;
  var REFRESH_MS = 30000;
  var cards = document.getElementById('cards');
  var message = document.getElementById('message');

  function rows(pairs) {
    return R.el('table', {}, [
      R.el(
        'tbody',
        {},
        pairs.map(function (pair) {
          return R.el('tr', {}, [R.el('td', { text: pair[0] }), R.el('td', { text: pair[1] })]);
        }),
      ),
    ]);
  }

  function byStatus(counts) {
    if (!counts || typeof counts !== 'object') return [];
    var pairs = [['total', String(counts.total)]];
    Object.keys(counts.by_status || {})
      .sort()
      .forEach(function (status) {
        pairs.push([status, String(counts.by_status[status])]);
      });
    return pairs;
  }

  function card(name, title, part, body) {
    var content =
      part && part.available
        ? body(part)
        : [R.el('p', { className: 'unavailable', text: 'Indisponível: ' + ((part && part.reason) || 'sem dados') })];
    return R.el('article', { className: 'card', 'data-part': name }, [R.el('h2', { text: title })].concat(content));
  }

  function render(summary) {
    R.clear(cards);
    cards.appendChild(
      card('audit', 'Fila de revisão', summary.audit, function (audit) {
        return [
          rows([
            ['pendentes', String(audit.pending)],
            ['aprovadas', String(audit.approved)],
            ['rejeitadas', String(audit.rejected)],
            ['total', String(audit.total)],
          ]),
          R.el('a', { href: '/revisao', text: 'Revisar' }),
        ];
      }),
    );
    cards.appendChild(
      card('tws', 'TWS', summary.tws, function (tws) {
        return [
          R.el('h3', { text: 'Estações' }),
          rows(byStatus(tws.workstations)),
          R.el('h3', { text: 'Jobs' }),
          rows(byStatus(tws.jobs)),
          R.el('h3', { text: 'Caminho crítico' }),
          rows(byStatus(tws.critical_jobs)),
        ];
      }),
    );
    cards.appendChild(
      card('knowledge', 'Memórias em revisão', summary.knowledge, function (knowledge) {
        return [
          rows([
            ['sinalizadas', String(knowledge.flagged)],
            ['aprovadas', String(knowledge.approved)],
            ['rejeitadas', String(knowledge.rejected)],
          ]),
        ];
      }),
    );
    cards.appendChild(
      card('connections', 'Conexões de chat', summary.connections, function (connections) {
        return [rows([['ativas', String(connections.active)]])];
      }),
    );
    document.getElementById('updated').textContent = R.formatDate(summary.generated_at);
  }

  function refresh() {
    return R.api('/api/dashboard/summary')
      .then(function (summary) {
        message.textContent = '';
        message.className = 'message';
        render(summary);
      })
      .catch(function (error) {
        message.textContent = R.explain(error);
        message.className = 'message message-error';
      });
  }

  R.setupCredentials(document.getElementById('credentials'), refresh);
  refresh().then(function () {
    document.body.setAttribute('data-ready', 'true');
  });
  setInterval(refresh, REFRESH_MS);
})();
