// The live view of a run's page (service/web.cc, RunPage). It follows the run's feed
// (/runs/ID/events, Server-Sent Events: service/feed.h) and shows each scenario's verdict as it
// lands, the system's hub traffic, the progress lines, and the operator's prompts with their
// deadlines and the forms that answer them. The page's text comes from the server in data-
// attributes (English or Vietnamese); nothing here is translated. When the run ends the page
// reloads, to show the verdict and the reports. Without this script the page still works: a
// reload shows the progress so far.
'use strict';
(function () {
  var live = document.getElementById('live');
  if (!live || !window.EventSource) return;
  var text = live.dataset;
  var scenarios = document.querySelector('#scenarios tbody');
  var waiting = document.getElementById('waiting');
  var traffic = document.getElementById('traffic');
  var progress = document.getElementById('progress');
  var prompts = document.getElementById('prompts');
  var deadlines = [];

  function element(tag, attributes, content) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    if (content !== undefined) e.textContent = content;
    return e;
  }
  function clock(ms) {
    var d = new Date(ms);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) {
      return (n < 10 ? '0' : '') + n;
    }).join(':');
  }
  function fill(template, name, value) { return template.split('{' + name + '}').join(value); }

  function onScenario(d) {
    if (waiting) waiting.hidden = true;
    var row = element('tr', {'data-id': d.id, 'data-verdict': d.verdict});
    row.appendChild(element('td', {}, d.id));
    row.appendChild(element('td', {}, d.title));
    row.appendChild(element('td', {'class': 'verdict v-' + d.verdict}, d.verdict));
    row.appendChild(element('td', {'class': 'muted'}, d.reason || ''));
    scenarios.appendChild(row);
    live.dataset.judged = String(scenarios.rows.length);
  }
  function onTraffic(d) {
    var bad = d.status >= 400 || (d.code !== '' && d.code !== '0');
    var line = clock(d.at) + '  ' + d.method + ' ' + d.operation + ' → ' + d.status +
        (d.code !== '' ? ' (' + d.code + ')' : '') + '  ' + d.in + ' B / ' + d.out + ' B';
    traffic.appendChild(element('li', bad ? {'class': 'error'} : {}, line));
    while (traffic.children.length > 200) traffic.removeChild(traffic.firstChild);
  }
  function onProgress(d) {
    progress.appendChild(document.createTextNode(d.line + '\n'));
  }
  function answerForm(number, answer, label) {
    var form = element('form', {method: 'post', action: text.prompts + number});
    form.appendChild(element('input', {type: 'hidden', name: 'csrf', value: text.csrf}));
    form.appendChild(element('input', {type: 'hidden', name: 'answer', value: answer}));
    form.appendChild(element('button', {'class': 'answer-' + answer}, label));
    return form;
  }
  function onPrompt(d) {
    var card = element('div', {'class': 'prompt', id: 'prompt-' + d.number});
    card.appendChild(element('p', {}, d.number + '. ' + d.text));
    var left = element('p', {'class': 'deadline'});
    card.appendChild(left);
    if (text.csrf) {
      card.appendChild(answerForm(d.number, 'done', text.done));
      card.appendChild(answerForm(d.number, 'cannot', text.cannot));
    }
    prompts.appendChild(card);
    prompts.hidden = false;
    deadlines.push({until: d.at + d.deadline_ms, element: left});
    tick();
  }
  function onAnswer(d) {
    var card = document.getElementById('prompt-' + d.number);
    if (!card) return;
    card.querySelectorAll('form').forEach(function (f) { f.remove(); });
    card.dataset.answer = d.answer;
    card.appendChild(element('p', {'class': 'answered'},
        fill(text.answered, 'answer', (d.answer === 'done' ? text.done : text.cannot) +
            ' — ' + d.by + ', ' + clock(d.at))));
    deadlines = deadlines.filter(function (x) { return x.element.parentNode !== card; });
    card.querySelector('.deadline').remove();
  }
  function tick() {
    var now = Date.now();
    deadlines.forEach(function (x) {
      var s = Math.round((x.until - now) / 1000);
      x.element.textContent = s > 0 ? fill(text.left, 'seconds', s) : text.expired;
    });
  }
  setInterval(tick, 1000);

  var source = new EventSource(text.events);
  function on(type, handle) {
    source.addEventListener(type, function (e) { handle(JSON.parse(e.data)); });
  }
  on('scenario', onScenario);
  on('traffic', onTraffic);
  on('progress', onProgress);
  on('prompt', onPrompt);
  on('answer', onAnswer);
  on('end', function () {
    source.close();
    live.dataset.ended = 'true';
    setTimeout(function () { location.reload(); }, 1000);
  });
})();
