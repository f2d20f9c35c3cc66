/**
 * The whole stylesheet, inlined (no extra request; allowed by its hash in the CSP): system fonts,
 * a ~65ch measure, dark mode, down to 320 px wide, and print styles. No web fonts, no script.
 */
export const STYLES = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#595959;--bg:#fdfdfc;--link:#0b57d0;--rule:#d6d6d6}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e3;--muted:#a9a7a3;--bg:#161616;--link:#8ab4f8;--rule:#3a3a3a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.125rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.15em}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem}
.skip:focus{left:1rem;top:1rem}
.preview{margin:1rem 0 0;padding:.5rem .75rem;border:2px dashed var(--rule);font-size:.95rem}
header,main,footer{max-width:65ch;margin:0 auto;padding:0 1.25rem}
header{padding-top:1rem;padding-bottom:.25rem;border-bottom:1px solid var(--rule)}
header a{font-weight:700;text-decoration:none;color:var(--fg)}
h1{font-size:clamp(1.75rem,4.5vw + 1rem,2.6rem);line-height:1.15;letter-spacing:-.01em;margin:1.5rem 0 .75rem}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .5rem}
p{margin:0 0 1.1em}
.meta,footer,.credit{color:var(--muted);font-size:.9rem}
.lede{font-size:1.2rem;color:var(--muted)}
footer{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--rule)}
ol.articles{list-style:none;padding:0;margin:0}
ol.articles>li{margin:1.75rem 0;padding-bottom:1.25rem;border-bottom:1px solid var(--rule)}
ol.articles h2{margin:0 0 .25rem}
ol.articles p{margin:.25rem 0}
nav.pages{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0}
@media print{:root{--fg:#000;--muted:#333;--bg:#fff;--link:#000}
body{font-size:12pt}.skip,nav.pages,footer{display:none}header{border:0}
main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em}}
`;
