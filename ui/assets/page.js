/* global uPlot, document, location */
// The release page: reads /api/services/NAME every 2 s and draws it with uPlot.
'use strict';

const $ = (id) => document.getElementById(id);
const text = (el, value) => {
  el.textContent = value;
  return el;
};
const element = (tag, value, cls) => {
  const el = document.createElement(tag);
  if (value !== undefined) el.textContent = value;
  if (cls) el.className = cls;
  return el;
};
const seconds = (iso) => Date.parse(iso) / 1000;
const charts = new Map();

let service = null;

function chart(container, key, title, labels, xs, ys, colors) {
  charts.get(key)?.destroy();
  const opts = {
    title,
    width: 540,
    height: 220,
    series: [
      {},
      ...labels.map((label, i) => ({ label, stroke: colors[i], width: 2, spanGaps: true })),
    ],
    axes: [{}, { size: 60 }],
  };
  const plot = new uPlot(opts, [xs, ...ys], container);
  charts.set(key, plot);
  container.dataset.points = String(xs.length);
}

function drawSplit(model) {
  const box = $('chart-split');
  const points = model.split;
  chart(
    box,
    'split',
    '',
    ['candidate %'],
    points.map((p) => seconds(p.at)),
    [points.map((p) => p.percent)],
    ['#2e7d32'],
  );
}

function drawRates(model) {
  const box = $('chart-rates');
  const points = model.rates;
  chart(
    box,
    'rates',
    '',
    ['stable req/s', 'candidate req/s'],
    points.map((p) => seconds(p.at)),
    [points.map((p) => p.stableRps), points.map((p) => p.candidateRps)],
    ['#1565c0', '#2e7d32'],
  );
}

function drawChecks(model) {
  const holder = $('checks');
  for (const [name, points] of Object.entries(model.checks)) {
    let box = document.querySelector(`.chart[data-check="${name}"]`);
    if (!box) {
      box = element('div', undefined, 'chart');
      box.dataset.check = name;
      holder.appendChild(box);
    }
    box.replaceChildren(element('h3', `${name}: candidate vs stable, limit and verdict per tick`));
    chart(
      box,
      `check-${name}`,
      '',
      ['candidate', 'stable', 'limit'],
      points.map((p) => seconds(p.at)),
      [points.map((p) => p.candidate), points.map((p) => p.baseline), points.map((p) => p.limit)],
      ['#2e7d32', '#1565c0', '#b3261e'],
    );
    const table = element('table');
    for (const p of points.slice(-6)) {
      const row = element('tr');
      row.append(
        element('td', p.at.slice(11, 19)),
        element('td', p.outcome, p.outcome),
        element('td', `n=${p.samples}`),
        element('td', p.reason),
      );
      table.appendChild(row);
    }
    box.appendChild(table);
  }
}

function render(model) {
  const record = model.view.record;
  const release = record && record.release;
  text($('service'), model.service.split('/').pop());
  text($('phase'), release ? release.phase + (release.paused ? ' (paused)' : '') : 'no release');
  text(
    $('release'),
    release ? `${release.id} · ${release.tag} · candidate ${release.candidate.color}` : '',
  );
  const colorOf = (revision) =>
    record && record.stable.revision === revision
      ? record.stable.color
      : release && release.candidate.revision === revision
        ? release.candidate.color
        : 'other';
  text(
    $('split'),
    model.view.traffic
      .filter((t) => t.percent > 0)
      .map((t) => `${colorOf(t.revision)} ${t.percent}%`)
      .join(' · '),
  );
  $('timeline').replaceChildren(
    ...model.timeline.map((t) =>
      element('li', `${t.at.slice(11, 19)}  ${t.what}${t.by ? `  — by ${t.by}` : ''}`),
    ),
  );
  const body = $('releases').querySelector('tbody');
  body.replaceChildren(
    ...model.releases.map((r) => {
      const row = element('tr');
      row.append(
        element('td', r.endedAt.slice(0, 19)),
        element('td', r.id),
        element('td', r.phase, r.phase === 'promoted' ? 'pass' : 'fail'),
        element('td', r.by || ''),
        element('td', r.detail),
      );
      return row;
    }),
  );
  text($('note'), model.eventsNote || '');
  drawSplit(model);
  drawRates(model);
  drawChecks(model);
}

async function refresh() {
  try {
    const response = await fetch(`/api/services/${encodeURIComponent(service)}`);
    if (response.ok) render(await response.json());
  } finally {
    setTimeout(refresh, 2000);
  }
}

async function start() {
  const { services } = await (await fetch('/api/services')).json();
  const fromPath = decodeURIComponent(location.pathname.replace(/^\/services\//, ''));
  service = services.includes(fromPath) ? fromPath : services[0];
  $('services').replaceChildren(
    ...services.map((s) => {
      const a = element('a', s.split('/').pop());
      a.href = `/services/${encodeURIComponent(s)}`;
      return a;
    }),
  );
  for (const button of document.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', async () => {
      text($('action-result'), `${button.dataset.action}: waiting for the outcome…`);
      const response = await fetch(
        `/api/services/${encodeURIComponent(service)}/actions/${button.dataset.action}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            by: $('by').value || undefined,
            reason: $('reason').value || undefined,
          }),
        },
      );
      const result = await response.json();
      text(
        $('action-result'),
        result.message || (result.error && result.error.message) || `exit ${result.exitCode}`,
      );
    });
  }
  await refresh();
}

void start();
