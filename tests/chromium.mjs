// Debian's Chromium as every browser test launches it (never a downloaded browser): headless,
// and without the background networking this machine's closed network would refuse.
import { chromium } from 'playwright-core';

export const launchChromium = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
