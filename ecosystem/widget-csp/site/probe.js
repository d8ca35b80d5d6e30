// The row's probe (a classic script from the page's own origin, loaded first): every CSP or
// Trusted Types violation, uncaught error, unhandled rejection and console.error of the page,
// kept in window.__problems for the driver to read.
window.__problems = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__problems.push(`csp: ${event.effectiveDirective} refused ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
}, true);
window.addEventListener('error', (event) => window.__problems.push(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => window.__problems.push(`unhandled rejection: ${event.reason?.stack ?? event.reason}`));
const consoleError = console.error;
console.error = (...args) => {
  window.__problems.push(`console.error: ${args.map(String).join(' ')}`);
  consoleError.apply(console, args);
};
