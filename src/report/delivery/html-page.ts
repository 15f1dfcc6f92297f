// The fixed parts of the HTML report: its style sheet, its one small script, and the policy that
// keeps the file self-contained. Nothing here depends on data.

/**
 * The page may load nothing: no network, no font, no image but inline SVG. Its one inline script and
 * style are allowed; a name that slipped past escaping could still not run a script of its own
 * (inline event handlers are blocked by a CSP without 'unsafe-hashes').
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'";

/** Deepest indentation the style sheet draws; deeper rows are drawn at this depth. */
export const MAX_DEPTH = 6;

const indentRules = Array.from({ length: MAX_DEPTH + 1 }, (_, d) => `tr.d${d}>td:first-child{padding-left:${0.4 + d * 1.1}em}`).join('');

export const STYLE = `
:root{--fg:#172b4d;--muted:#5e6c84;--line:#dfe1e6;--todo:#8993a4;--progress:#0065ff;--done:#22a06b;--missing:#d8dbe0;--warn:#c9372c;--stale:#b65c02}
*{box-sizing:border-box}
body{margin:0;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);max-width:1200px;margin-inline:auto}
h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:0;display:inline}h3{font-size:1rem;margin:1rem 0 .4rem}
.meta{color:var(--muted);margin:0 0 .8rem}
.filter{position:sticky;top:0;background:#fff;padding:.5rem 0;z-index:1;display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
.filter input{flex:1 1 16rem;font:inherit;padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px}
#shown{color:var(--muted)}
.overview{width:100%;border-collapse:collapse;margin-bottom:1rem}
.overview td,.overview th{padding:.3rem .4rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
.overview td.barcell{width:45%}
svg.bar{width:100%;height:18px;display:block;border-radius:3px}
svg.hist{width:100%;max-width:420px;height:auto;display:block}
svg text{font-size:11px;fill:var(--fg)}svg text.axis{fill:var(--muted);font-size:10px}
.empty{fill:#f4f5f7}.s-todo{fill:var(--todo)}.s-in-progress{fill:var(--progress)}.s-done{fill:var(--done)}.s-not-in-jira{fill:var(--missing)}
.age{fill:var(--progress)}.baseline{stroke:var(--line)}
.legend{display:flex;gap:.8rem;flex-wrap:wrap;color:var(--muted);font-size:.85rem;margin:.3rem 0}
.legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.3em;vertical-align:-.05em}
.legend .todo{background:var(--todo)}.legend .in-progress{background:var(--progress)}.legend .done{background:var(--done)}.legend .not-in-jira{background:var(--missing)}
details.stream{border:1px solid var(--line);border-radius:8px;margin:.8rem 0;padding:.4rem .8rem}
details.stream>summary{cursor:pointer;padding:.3rem 0;list-style-position:outside}
.counts{display:inline-flex;gap:.35rem;flex-wrap:wrap;margin-left:.5rem;vertical-align:middle}
.counts i{font-style:normal;font-size:.8rem;border-radius:10px;padding:0 .5em;background:#f4f5f7;color:var(--fg)}
.counts i.warn{background:#ffeceb;color:var(--warn)}.counts i.stale{background:#fff3e0;color:var(--stale)}
.scroll{overflow-x:auto}
table.items{width:100%;border-collapse:collapse;font-size:.92rem}
table.items th{text-align:left;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);padding:.3rem .4rem;white-space:nowrap}
table.items td{border-bottom:1px solid var(--line);padding:.3rem .4rem;vertical-align:top}
td.num{white-space:nowrap;text-align:right}
table.tree td:nth-child(2),table.tree td:nth-child(4){white-space:nowrap}table.tree td:nth-child(n+5){text-align:right;white-space:nowrap}
.ages{margin:.6rem 0 .2rem}
.badge{font-size:.75rem;border-radius:4px;padding:0 .35em;margin-left:.3em;white-space:nowrap}
.badge.blocked{background:#ffeceb;color:var(--warn)}.badge.stale{background:#fff3e0;color:var(--stale)}.badge.orphan{background:#f3f0ff;color:#5e4db2}
table.tree td:nth-child(4)::before{content:"";display:inline-block;width:.6em;height:.6em;border-radius:50%;margin-right:.35em;background:var(--todo)}
table.tree td.in-progress::before{background:var(--progress)}table.tree td.done::before{background:var(--done)}table.tree td.not-in-jira::before{background:var(--missing)}
.health ul{margin:.2rem 0;padding-left:1.2rem}.muted{color:var(--muted)}
${indentRules}
@media (max-width:640px){body{padding:.6rem;font-size:14px}details.stream{padding:.3rem .4rem}.opt,table.tree :is(td,th):is(:nth-child(3),:nth-child(6),:nth-child(7)){display:none}.overview td.barcell{width:35%}}
`;

/**
 * The filter box: hides the rows whose text does not contain what was typed (case-insensitive),
 * hides streams without a match and opens those with one; clearing it shows everything again.
 * Row texts are read at the first keystroke, not at load, so a large report renders as fast as it can.
 */
export const SCRIPT = `
(function(){
  var box=document.getElementById('filter'),shown=document.getElementById('shown');
  var rows=null,texts=null,streams=[].slice.call(document.querySelectorAll('details.stream'));
  box.addEventListener('input',function(){
    if(!rows){rows=[].slice.call(document.querySelectorAll('table.tree tbody tr'));texts=rows.map(function(r){return r.textContent.toLowerCase();});}
    var q=box.value.trim().toLowerCase(),n=0;
    for(var i=0;i<rows.length;i++){var hit=!q||texts[i].indexOf(q)!==-1;rows[i].hidden=!hit;if(hit)n++;}
    streams.forEach(function(s){var any=!q||s.querySelector('table.tree tbody tr:not([hidden])');s.hidden=!any;if(q&&any)s.open=true;});
    shown.textContent=q?n+' of '+rows.length+' items match':'';
  });
})();
`;
