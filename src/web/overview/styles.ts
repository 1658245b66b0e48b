/** The page's only stylesheet (inline: no CDN, no fonts to fetch). Light and dark, laptop and phone. */
export const CSS = `
:root{--bg:#f5f7f8;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--accent:#0b7a5c;--accent-fg:#fff;
--ok:#1a7f37;--ok-bg:#dafbe1;--warn:#8a5a00;--warn-bg:#fff3c4;--crit:#b42318;--crit-bg:#ffe4e1;--unk:#59636e;--unk-bg:#eef1f4;--track:#e6eaee}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--card:#171d24;--fg:#e6edf3;--muted:#9aa6b2;--line:#2d3640;--accent:#2ea984;--accent-fg:#04130e;
--ok:#4ac26b;--ok-bg:#12331d;--warn:#e3b341;--warn-bg:#3a2d0b;--crit:#ff7b72;--crit-bg:#3d1512;--unk:#9aa6b2;--unk-bg:#232b34;--track:#2a333d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
header.top{background:var(--card);border-bottom:1px solid var(--line)}
.wrap{max-width:1180px;margin:0 auto;padding:0 20px}
header.top .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:8px 20px;padding-top:14px;padding-bottom:14px}
header.top h1{font-size:19px;margin:0;display:flex;align-items:center;gap:10px}
header.top h1 .logo{width:28px;height:28px;border-radius:7px;background:var(--accent);display:inline-block;position:relative}
header.top h1 .logo::after{content:"";position:absolute;inset:8px;border:3px solid var(--accent-fg);border-radius:50%}
header.top .meta{color:var(--muted);font-size:13px;display:flex;flex-wrap:wrap;gap:4px 14px;margin-left:auto}
main.wrap{padding-top:24px;padding-bottom:40px}
section{margin:0 0 28px}
h2{font-size:16px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
h3{font-size:16px;margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px}
.grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(340px,1fr))}
.sub{color:var(--muted);font-size:13px}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.row{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:6px 12px}
.badge{display:inline-flex;align-items:center;gap:5px;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;letter-spacing:.02em;white-space:nowrap;border:1px solid transparent}
.badge::before{content:"";width:7px;height:7px;border-radius:50%;background:currentColor}
.b-ok{color:var(--ok);background:var(--ok-bg)}.b-warn{color:var(--warn);background:var(--warn-bg)}
.b-crit{color:var(--crit);background:var(--crit-bg)}.b-unk{color:var(--unk);background:var(--unk-bg)}
.b-stale{color:var(--warn);background:transparent;border-color:var(--warn)}
.problems{list-style:none;margin:0;padding:0}
.problems li{display:flex;gap:10px;align-items:flex-start;padding:9px 12px;border-radius:8px;margin:0 0 6px;background:var(--card);border:1px solid var(--line);border-left-width:4px}
.problems li.critical{border-left-color:var(--crit)}.problems li.warning{border-left-color:var(--warn)}
.problems li .badge{margin-top:2px;min-width:68px;justify-content:center}
.allclear{padding:12px 14px;border-radius:8px;background:var(--ok-bg);color:var(--ok);font-weight:600}
.account{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px 32px;margin:0 0 14px}
.acct-side table{margin:8px 0 6px}
.big{font-size:28px;font-weight:650;letter-spacing:-.01em;margin:6px 0 2px}
.bar{position:relative;height:10px;border-radius:5px;background:var(--track);margin:10px 0 4px;overflow:visible}
.bar>.fill{position:absolute;left:0;top:0;bottom:0;border-radius:5px;background:var(--ok);max-width:100%}
.bar.warn>.fill{background:var(--warn)}.bar.crit>.fill{background:var(--crit)}.bar.unk>.fill{background:var(--unk)}
.bar>.mark{position:absolute;top:-4px;bottom:-4px;width:2px;background:var(--fg);opacity:.55}
.scale{display:flex;justify-content:space-between;font-size:12px;color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 4px}
.btn{display:inline-block;padding:7px 13px;border-radius:7px;border:1px solid var(--line);text-decoration:none;font-weight:600;font-size:14px;color:var(--fg);background:var(--card)}
.btn.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.btn:hover{filter:brightness(.96)}
dl.kv{display:grid;grid-template-columns:auto 1fr;gap:3px 14px;margin:12px 0 0;font-size:14px}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:last-child td{border-bottom:0}
.scroll{overflow-x:auto}
.narrow{display:none}
.business{margin:0 0 18px}
.business>.head{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.3fr);gap:16px;align-items:center;margin-bottom:12px}
.waba{margin:0 0 14px}
.waba .row h3{font-size:15px}
.waba table{margin-top:8px}
.tpl{margin-top:12px;font-size:14px}
.tpl .counts{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
details summary{cursor:pointer;font-weight:600}
details[open] summary{margin-bottom:8px}
h2 .sub{text-transform:none;letter-spacing:0;font-weight:400}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top h1 a.home{color:inherit;text-decoration:none;display:flex;align-items:center;gap:10px}
form.search{display:flex;gap:6px;flex:1 1 260px;max-width:420px}
form.search input{flex:1;min-width:0;padding:6px 10px;border:1px solid var(--line);border-radius:7px;background:var(--bg);color:var(--fg);font:inherit}
form.search button{padding:6px 12px;border-radius:7px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);font-weight:600;cursor:pointer}
nav.tabs{display:flex;flex-wrap:wrap;gap:4px 16px;width:100%;font-size:14px}
nav.tabs a{text-decoration:none;font-weight:600}
.page-title{text-transform:none;letter-spacing:0;color:var(--fg);font-size:20px;margin:0 0 14px}
.summary{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));margin-bottom:6px}
.sum .tiles{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 6px}
.tile{display:flex;flex-direction:column;min-width:64px;padding:6px 10px;border-radius:8px;text-decoration:none;color:var(--fg);background:var(--unk-bg)}
.tile .n{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}.tile .l{font-size:12px;color:var(--muted)}
.t-ok{background:var(--ok-bg)}.t-ok .n{color:var(--ok)}.t-warn{background:var(--warn-bg)}.t-warn .n{color:var(--warn)}
.t-crit{background:var(--crit-bg)}.t-crit .n{color:var(--crit)}
.group{margin:0 0 14px}.group h3{font-size:15px;margin:0 0 6px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 10px}
.chip{padding:2px 10px;border-radius:999px;border:1px solid var(--line);text-decoration:none;font-size:13px;background:var(--card)}
.chip.on{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.pager{margin:14px 0}
.grid.detail{grid-template-columns:repeat(auto-fill,minmax(380px,1fr));margin-bottom:18px}
.detail-problems{margin:0 0 18px}.detail-problems h3,section>h3{margin:0 0 8px}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:4px 0}
footer{color:var(--muted);font-size:13px;border-top:1px solid var(--line);padding:14px 0 30px}
@media (max-width:720px){
 .wrap{padding:0 12px}
 header.top .meta{margin-left:0}
 .grid,.account{grid-template-columns:1fr}
 .business>.head{grid-template-columns:1fr}
 table.stack thead{display:none}
 table.stack tr{display:block;padding:8px 0;border-bottom:1px solid var(--line)}
 table.stack tr:last-child{border-bottom:0}
 table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:3px 0;text-align:right}
 table.stack td::before{content:attr(data-label);color:var(--muted);font-size:13px;text-align:left}
 .big{font-size:24px}
 .wide{display:none}
 .narrow{display:block}
 table.sources td,table.sources th{padding:6px 4px}
}
`;
