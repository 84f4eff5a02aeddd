import type { PageState } from './page-states.ts';
import { PAGE_STATE_INFO } from './page-states.ts';

// Colours per state: background, text, accent bar. Text on background meets WCAG AA contrast;
// every state also carries its icon and its name, so colour is never the only signal.
const STATE_COLOURS: Record<PageState, [string, string, string]> = {
  'in-sync': ['#e6f4ea', '#0d5223', '#1e8e3e'],
  drifted: ['#fef0d9', '#7a3b00', '#e37400'],
  degraded: ['#fce8e6', '#8c1d18', '#c5221f'],
  unreachable: ['#3c4043', '#ffffff', '#202124'],
  unmanaged: ['#f1f3f4', '#3c4043', '#9aa0a6'],
  error: ['#f3e8fd', '#4a148c', '#8430ce'],
  failed: ['#b3261e', '#ffffff', '#8c1d18'],
  succeeded: ['#e6f4ea', '#0d5223', '#1e8e3e'],
  unchanged: ['#e8f0fe', '#174ea6', '#1a73e8'],
  skipped: ['#f1f3f4', '#3c4043', '#80868b'],
  'not-started': ['#ffffff', '#5f6368', '#bdc1c6'],
};

const stateRules = Object.entries(STATE_COLOURS)
  .map(([state, [bg, fg, bar]]) => `.s-${state}{--bg:${bg};--fg:${fg};--bar:${bar};--ic:"${PAGE_STATE_INFO[state as PageState].icon}"}`)
  .join('');

/**
 * The page's whole stylesheet (inline, allowed by its CSP hash). Grid cells and details panels are
 * `content-visibility:auto`: the browser lays out and paints only those on screen, which at 1,000
 * clusters halves the time to the load event (test/bench/page.bench.ts); they stay in the
 * accessibility tree and in find-in-page, and print in full.
 */
export const PAGE_STYLE = `${stateRules}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif;color:#202124;background:#f6f7f9}
[hidden]{display:none!important}
code{font:12.5px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;word-break:break-all}
a{color:#1a56c4}
:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.sr,.t i{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.mu{color:#5f6368}
.skip{position:absolute;left:-9999px}
.skip:focus{position:static;display:inline-block;margin:0 0 8px;padding:4px 8px;background:#e8f0fe;border-radius:4px}
header.top{background:#1f2937;color:#fff;padding:18px 28px 20px}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#cbd5e1;margin:0 0 4px}
h1{margin:0;font-size:22px;font-weight:600}
.meta{margin:6px 0 0;color:#e2e8f0;font-size:13px}
.meta code{color:#fff}
main{padding:20px 28px 40px;max-width:1600px;margin:0 auto}
h2{font-size:16px;margin:0 0 12px;font-weight:600}
h3{font-size:13px;margin:0 0 8px;font-weight:600;color:#3c4043;text-transform:none}
h4{font-size:13px;margin:14px 0 6px;font-weight:600}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:10px;padding:16px 18px;margin-bottom:18px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.banner{border-left:5px solid #b3261e;background:#fce8e6;color:#5f1410;padding:12px 16px;border-radius:8px;margin-bottom:18px}
.banner.ok{border-color:#1e8e3e;background:#e6f4ea;color:#0d5223}
.counts{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 18px;padding:0;list-style:none}
.chip{display:flex;align-items:center;gap:10px;min-width:150px;padding:10px 14px;border:1px solid #e3e6ea;border-left:6px solid var(--bar);border-radius:10px;background:#fff;color:#202124;font:inherit;text-align:left;cursor:pointer}
.chip::before{content:var(--ic);display:inline-flex;align-items:center;justify-content:center;width:26px;height:26px;border-radius:50%;background:var(--bg);color:var(--fg);font-weight:700;border:1px solid var(--bar)}
.chip .n{font-size:22px;font-weight:650;line-height:1}
.chip .l{font-size:13px;color:#3c4043}
.chip:hover{border-color:#9aa0a6;border-left-color:var(--bar)}
.chip[aria-pressed=true]{background:#e8f0fe;box-shadow:inset 0 0 0 2px #1a73e8}
.chip.z .n,.chip.z .l{color:#5f6368;font-weight:400}
.chip.total{border-left-color:#1f2937;cursor:default}
.chip.total::before{content:"\\03A3";background:#f1f3f4;color:#202124;border-color:#9aa0a6}
.row{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:18px;margin-bottom:18px}
.row>.card{margin-bottom:0}
.trend{margin:0}
.trend svg{width:100%;height:auto;max-height:240px;font-size:11px;fill:#5f6368;display:block}
figcaption{font-size:12.5px;color:#3c4043;margin-top:6px}
.legend .key{display:inline-flex;align-items:center;gap:4px;margin-right:12px}
.legend .key::before{content:"";width:10px;height:10px;border-radius:2px;background:#e37400}
.legend .k-degraded::before{background:#c5221f}.legend .k-unreachable::before{background:#3c4043}
.facts{margin:0;display:grid;grid-template-columns:auto 1fr;gap:6px 14px;font-size:13px}
.facts dt{color:#5f6368}.facts dd{margin:0;font-weight:600}
.longest{margin:14px 0 0;padding:0;list-style:none;font-size:13px}
.longest li{display:flex;justify-content:space-between;gap:10px;padding:3px 0;border-bottom:1px solid #f1f3f4}
.card h3{margin-top:16px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef1;vertical-align:top}
thead th{background:#f8f9fa;color:#3c4043;font-weight:600}
caption{text-align:left;font-weight:600;padding:6px 0;font-size:13px}
.trend-data summary{font-size:12.5px;margin-top:6px}
.toolbar{display:flex;flex-wrap:wrap;align-items:end;gap:12px 16px;margin-bottom:14px}
.toolbar label{display:flex;flex-direction:column;gap:3px;font-size:12px;font-weight:600;color:#3c4043}
.toolbar input,.toolbar select{font:inherit;padding:6px 9px;border:1px solid #c4c7cc;border-radius:6px;background:#fff;min-width:180px}
.toolbar input{min-width:260px}
.btn{font:inherit;font-size:13px;padding:6px 12px;border:1px solid #c4c7cc;border-radius:6px;background:#fff;cursor:pointer}
.btn[aria-pressed=true]{background:#e8f0fe;border-color:#1a73e8;color:#174ea6}
#shown{margin:0 0 0 auto;font-size:13px;color:#3c4043;align-self:center}
.g{margin-bottom:14px}
.g h3 .gn{color:#5f6368;font-weight:400}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:5px}
.t{position:relative;display:flex;align-items:center;gap:6px;height:30px;padding:0 8px 0 6px;border-radius:6px;border:1px solid rgba(0,0,0,.06);border-left:4px solid var(--bar);background:var(--bg);color:var(--fg);font-size:12px;font-weight:500;text-decoration:none;white-space:nowrap;overflow:hidden}
.t::before{content:var(--ic);flex:none;width:14px;text-align:center;font-weight:700}
.t span{overflow:hidden;text-overflow:ellipsis}
.t:hover{filter:brightness(.96);box-shadow:0 1px 3px rgba(0,0,0,.15)}
.s-not-started.t,.s-unmanaged.t{border-style:dashed;border-left-style:solid}
.dense .tiles{grid-template-columns:repeat(auto-fill,22px);gap:3px}
.dense .t{height:22px;padding:0;justify-content:center;border-left-width:1px;font-size:0}
.dense .t::before{font-size:11px}
.dense .t span{display:none}
.t{content-visibility:auto;contain-intrinsic-size:auto 30px}
.dense .t{contain-intrinsic-size:auto 22px}
.cd{content-visibility:auto;contain-intrinsic-size:auto 34px}
.cd{background:#fff;border:1px solid #e3e6ea;border-left:5px solid var(--bar);border-radius:8px;margin-bottom:4px;scroll-margin-top:12px}
.cd summary{display:flex;flex-wrap:wrap;align-items:center;gap:2px 10px;padding:5px 12px;cursor:pointer}
.cd[open] summary{background:#f8f9fa;border-radius:0 8px 0 0}
.cd .st{display:inline-flex;align-items:center;gap:5px;padding:1px 8px;border-radius:10px;background:var(--bg);color:var(--fg);font-size:12px;font-weight:600;border:1px solid var(--bar)}
.cd .st::before{content:var(--ic);font-weight:700}
.cd .nm{font-weight:600}
.cd .sm{color:#5f6368;font-size:12.5px}
.cd:target{box-shadow:0 0 0 3px #1a73e8}
.bd{padding:4px 14px 12px 14px;border-top:1px solid #eceef1}
.bd dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:8px 0;font-size:13px}
.bd dt{color:#5f6368}.bd dd{margin:0}
.lb{display:inline-block;padding:0 6px;margin:1px 2px 1px 0;border-radius:4px;background:#f1f3f4;font-size:12px}
.ft{margin:8px 0;table-layout:fixed}
.ft th:first-child{width:28%}.ft td:nth-child(4){width:20%}
.co{list-style:none;margin:0;padding:0;font-size:12.5px}
.co li{padding:2px 0 2px 18px;position:relative}
.co .m{display:block;white-space:pre-line;color:#3c4043}
.co li.ab .m{color:#8c1d18}
.co li::before{content:"\\2713";position:absolute;left:2px;color:#1e8e3e}
.co li.ab::before{content:"!";color:#c5221f;font-weight:700}
.co li.ab{color:#8c1d18}
.co i{color:#5f6368}
.sets{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px;margin:0 0 14px}
.set{border:1px solid #e3e6ea;border-radius:8px;padding:8px 12px}
.set h4{margin-top:6px}
.set{scroll-margin-top:12px}
.set:target{box-shadow:0 0 0 3px #1a73e8}
p.cs{font-size:12.5px;margin:8px 0 0}
.ft tbody th[scope=rowgroup]{background:#fff;font-weight:600;padding-top:8px}
.waves td:nth-child(2){white-space:nowrap}
.waves .gate{display:block;white-space:normal;margin-top:3px;font-size:12px;color:#3c4043}
.ws{display:inline-flex;gap:4px;padding:0 8px;border-radius:10px;background:var(--bg);color:var(--fg);border:1px solid var(--bar);font-size:12px;font-weight:600}
.ws::before{content:var(--ic)}
footer{color:#5f6368;font-size:12px;padding:0 28px 24px;max-width:1600px;margin:0 auto}
@media (max-width:900px){.row{grid-template-columns:1fr}main,header.top{padding-left:14px;padding-right:14px}}
@media print{
body{background:#fff;color:#000;font-size:11px}
header.top{background:#fff;color:#000;padding:0 0 8px;border-bottom:2px solid #000}
.brand,.meta,.meta code{color:#000}
main{padding:8px 0;max-width:none}
.toolbar,.trend-data,.skip{display:none!important}
.card,.cd,.chip{box-shadow:none;border-color:#000;break-inside:avoid}
.chip,.t,.cd .st,.chip::before{background:#fff!important;color:#000!important;border-color:#000!important}
.t{display:block;border-left-width:4px;height:auto;padding:2px 6px;font-size:10px;white-space:normal;overflow:visible}
.t span{overflow:visible}
.t::before{display:inline-block;margin-right:3px}
.t i{position:static;width:auto;height:auto;margin:0 0 0 4px;clip:auto;overflow:visible;font-weight:700;font-style:normal}
.tiles{grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:3px}
details::details-content{content-visibility:visible;display:block}
.t,.cd{content-visibility:visible}
.cd{break-inside:avoid-page}
a{color:#000;text-decoration:none}
.co li.ab{color:#000;font-weight:700}
}
`;
