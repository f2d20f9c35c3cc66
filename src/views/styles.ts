/** The whole stylesheet: system fonts, a readable measure, dark mode. Inlined: no extra request. */
export const STYLES = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5a5a5a;--bg:#fdfdfc;--link:#0b57d0;--rule:#ddd}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e3;--muted:#a8a6a2;--bg:#161616;--link:#8ab4f8;--rule:#333}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:1.125rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}
header,main,footer{max-width:65ch;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid var(--rule)}
header a{font-weight:700;text-decoration:none;color:var(--fg)}
h1{font-size:clamp(1.75rem,5vw,2.5rem);line-height:1.2;margin:1.5rem 0 .5rem}
.meta,footer,.credit{color:var(--muted);font-size:.9rem}
footer{margin-top:3rem;padding-bottom:2rem;border-top:1px solid var(--rule)}
ol.articles{list-style:none;padding:0}ol.articles li{margin:1.5rem 0}
ol.articles h2{font-size:1.3rem;margin:0}
`;
