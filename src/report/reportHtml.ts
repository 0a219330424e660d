import { escapeXml } from './svgElement.js';
import type { ReportPage } from './reportPage.js';

/**
 * The report as one self-contained HTML page: styles inline, the drawings as inline SVG, no
 * script and no reference to anything outside it, so it opens offline, from a file, anywhere.
 */
export function reportHtml(page: ReportPage): string {
  const e = escapeXml;
  const sections = [
    header(page),
    page.warnings.length
      ? `<section id="warnings" class="warnings"><h2>Warning: parameter-free ops are taking over</h2>${page.warnings.map((w) => `<p>${e(w)}</p>`).join('')}<p>This is the known collapse of DARTS: the supernet trains fastest through skips and pools, and the network derived from it is shallow. Remedies: fewer search epochs (early stopping, as DARTS+), or limiting the parameter-free ops kept per cell (as P-DARTS); see docs/report.md.</p></section>`
      : '',
    page.flat
      ? `<section id="flat" class="warnings"><h2>Warning: α barely moved</h2><p>${e(page.flat)}.</p></section>`
      : '',
    page.notes.length
      ? `<section id="notes" class="notes">${page.notes.map((n) => `<p>${e(n)}</p>`).join('')}</section>`
      : '',
    cellsSection(page),
    page.alphas.length
      ? `<section id="alphas"><h2>α: the weight of each op</h2>${page.alphas
          .map(
            (a) =>
              `<h3>${e(a.role)} cell</h3><div class="heatmap">${a.heatMap}</div>${a.curves ? `<div class="opcurves">${a.curves}</div>` : ''}`,
          )
          .join('')}</section>`
      : '',
    page.curves.length
      ? `<section id="curves"><h2>Training curves</h2><div class="grid">${page.curves.map((c) => `<div class="chart">${c}</div>`).join('')}</div></section>`
      : '',
    settingsSection(page),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(page.title)}</title>
<style>${style}</style>
</head>
<body>
${sections.filter(Boolean).join('\n')}
</body>
</html>
`;
}

function header(page: ReportPage): string {
  const e = escapeXml;
  const rows = page.summary.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  return `<header><h1>${e(page.title)}</h1><p class="status">${e(page.status)}</p><table class="summary">${rows}</table></header>`;
}

function cellsSection(page: ReportPage): string {
  if (!page.cells.length) return '';
  const e = escapeXml;
  const heading = page.kind === 'search' ? 'Derived cells' : 'The trained network’s cells';
  const cells = page.cells
    .map(
      (c) =>
        `<figure class="cell" id="cell-${e(c.role)}">${c.svg}<figcaption>${e(c.role)} cell${c.cell ? ` (${e(c.cell)})` : ''}</figcaption><pre>${e(c.text)}</pre></figure>`,
    )
    .join('');
  const literal = page.genotypeLiteral
    ? `<details open><summary>Genotype literal</summary><pre class="literal">${e(page.genotypeLiteral)}</pre></details>`
    : '';
  return `<section id="cells"><h2>${heading}</h2><div class="cells">${cells}</div>${literal}</section>`;
}

function settingsSection(page: ReportPage): string {
  const e = escapeXml;
  const spec = page.spec
    ? `<details><summary>Spec: ${e(page.spec.path)}</summary><pre>${e(page.spec.text)}</pre></details>`
    : '';
  return `<section id="settings"><h2>Settings</h2><details><summary>Resolved settings (config.json)</summary><pre>${e(page.config)}</pre></details>${spec}</section>`;
}

const style = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.status { color: #555; margin: 0 0 10px; }
table.summary { border-collapse: collapse; } table.summary th { text-align: left; font-weight: 600; padding: 2px 16px 2px 0; color: #444; vertical-align: top; } table.summary td { padding: 2px 0; }
.warnings { background: #fff4e5; border: 1px solid #f0a030; border-radius: 6px; padding: 4px 16px; margin-top: 16px; } .warnings h2 { border: none; color: #a05a00; margin-top: 12px; }
.notes { background: #f4f6f8; border-radius: 6px; padding: 2px 16px; color: #444; margin-top: 16px; }
.cells { display: flex; flex-wrap: wrap; gap: 16px; } figure.cell { margin: 0; border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px; } figure.cell svg { max-width: 100%; height: auto; } figcaption { font-weight: 600; margin: 4px 0; }
figure.cell pre { font-size: 12px; margin: 4px 0 0; }
pre { background: #f7f7f7; padding: 8px; border-radius: 4px; overflow-x: auto; font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
.heatmap, .opcurves { display: inline-block; vertical-align: top; margin-right: 16px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
summary { cursor: pointer; margin: 6px 0; }
`;
