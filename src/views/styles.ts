/**
 * The whole stylesheet, inlined (no extra request; allowed by its hash in the CSP). A newspaper's
 * page from system fonts alone: a serif nameplate, headlines and body copy (Charter, Georgia…),
 * the sans of the system for the apparatus (navigation, kicker, dates, captions). One column on a
 * rem measure shared by masthead, article and footer, so all three line up whatever their font
 * size. Dark mode, down to 320 px wide, and print. No web fonts, no script.
 */
export const STYLES = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#595959;--bg:#fdfdfc;--link:#0b57d0;--rule:#d6d6d6;--accent:#a4161a;--quote:#f3f1ec;--col:40rem;--serif:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"Iowan Old Style","Palatino Linotype","URW Palladio L",serif;--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e3;--muted:#a9a7a3;--bg:#161616;--link:#8ab4f8;--rule:#3a3a3a;--accent:#ff8c85;--quote:#222120}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.1875rem/1.6 var(--serif);overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.15em}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;font-family:var(--sans)}
.skip:focus{left:1rem;top:1rem}
.masthead,main,.site-foot{max-width:calc(var(--col) + 2.5rem);margin:0 auto;padding:0 1.25rem}
.masthead{padding-top:1.25rem;text-align:center}
.nameplate{display:inline-block;font:700 clamp(2rem,7vw,3rem)/1.1 var(--serif);letter-spacing:-.01em;color:var(--fg);text-decoration:none}
.masthead nav{margin-top:.75rem;border-top:1px solid var(--fg);border-bottom:3px double var(--fg)}
.masthead ul{display:flex;flex-wrap:wrap;justify-content:center;gap:.1rem 1.25rem;list-style:none;margin:0;padding:.45rem 0}
.masthead nav a,.kicker a{font:600 .8rem/1.8 var(--sans);letter-spacing:.06em;text-transform:uppercase;text-decoration:none}
.masthead nav a{color:var(--fg)}
.masthead nav a[aria-current]{color:var(--accent);text-decoration:underline;text-decoration-thickness:2px}
.masthead.bare{padding-bottom:.75rem;border-bottom:3px double var(--fg)}
.preview{margin:1rem 0 0;padding:.5rem .75rem;border:2px dashed var(--rule);font:.95rem/1.5 var(--sans)}
h1,h2{font-family:var(--serif);font-weight:700}
h1{font-size:clamp(1.9rem,4.5vw + 1rem,2.75rem);line-height:1.12;letter-spacing:-.015em;margin:2rem 0 .75rem}
.kicker+h1{margin-top:.25rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .5rem}
p{margin:0 0 1.1em}
.kicker{margin:2rem 0 0}
.kicker a{color:var(--accent)}
.standfirst{font-size:1.3rem;line-height:1.45;color:var(--muted);margin:0 0 1rem}
.meta,.site-foot,.credit,figcaption,.tags,.feeds{font-family:var(--sans);color:var(--muted);font-size:.875rem;line-height:1.5}
.byline{padding:.6rem 0;border-top:1px solid var(--rule);border-bottom:1px solid var(--rule);margin:0 0 1.5rem}
.byline a{color:inherit}
figure{margin:0 0 1.5rem}
figure img,.body img{display:block;max-width:100%;height:auto}
figcaption{margin-top:.5rem}
.body blockquote{margin:1.75rem 0;padding:.75rem 1.25rem;border-left:4px solid var(--accent);background:var(--quote);font-style:italic}
.body blockquote p:last-child{margin-bottom:0}
.pullquote{margin:2rem 0;padding:1rem 0 .75rem;border-top:3px solid var(--accent);border-bottom:1px solid var(--rule)}
.body .pullquote blockquote{margin:0;padding:0;border:0;background:none;font-size:1.5rem;line-height:1.35;font-weight:700}
.pullquote figcaption{margin-top:.5rem}
.correction{margin:2rem 0;padding:.75rem 1rem;border:1px solid var(--rule);border-left:4px solid var(--fg);font:.95rem/1.5 var(--sans)}
.correction h2{font:700 .8rem/1.5 var(--sans);letter-spacing:.06em;text-transform:uppercase;margin:0 0 .25rem}
.correction p{margin:0}
.tags ul{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0 0}
.tags a{display:inline-block;padding:.15rem .6rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
.tags h2{font:700 .8rem/1.5 var(--sans);letter-spacing:.06em;text-transform:uppercase;margin:2rem 0 0;color:var(--fg)}
.site-foot{margin-top:3rem;padding-bottom:2rem}
.site-foot p{margin:0;padding-top:1rem;border-top:1px solid var(--rule)}
ol.articles{list-style:none;padding:0;margin:0}
ol.articles>li{padding:1.25rem 0;border-bottom:1px solid var(--rule)}
ol.articles .kicker{margin:0}
ol.articles h2{font-size:1.45rem;line-height:1.2;margin:0 0 .35rem}
ol.articles h2 a{color:var(--fg);text-decoration:none}
ol.articles h2 a:hover{text-decoration:underline}
ol.articles .standfirst{font-size:1.05rem;margin:0 0 .35rem}
ol.articles .meta{margin:0}
.list-head{margin:2rem 0 .5rem;padding-bottom:.75rem;border-bottom:3px double var(--fg)}
.list-head h1{margin:0}
.list-head p{margin:.35rem 0 0}
nav.pages{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0;font-family:var(--sans)}
@media print{:root{--fg:#000;--muted:#333;--bg:#fff;--link:#000;--accent:#000;--quote:#fff}
body{font-size:12pt}.skip,nav.pages,.masthead nav,.site-foot,.tags{display:none}
main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em}}
`;
