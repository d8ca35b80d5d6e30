// Compiled with `tsc --noEmit --strict` (no skipLibCheck) against the built package, where no
// React types are installed: `ticketwire/widget` types the element in the DOM's tag map and in
// the global JSX namespace, and its React augmentation costs nothing without React.
// (With React 19's types, ecosystem/widget-csp compiles a .tsx.)
import { TicketwireWidget, type TicketwireWidgetAttributes, type TicketwireWidgetProvider } from 'ticketwire/widget';

const widget = document.querySelector('ticketwire-widget');
if (widget) {
  const element: TicketwireWidget = widget;
  element.relay = '/support';
  element.provider = 'tickiti';
  const base: HTMLElement = element;
  void base;
  // @ts-expect-error: not a provider
  element.provider = 'zendesk';
}
const created: TicketwireWidget = document.createElement('ticketwire-widget');
void created;
const isClass: typeof HTMLElement = TicketwireWidget;
void isClass;

const attributes: TicketwireWidgetAttributes = { relay: 'https://relay.shop.example', provider: 'mava' };
const providers: TicketwireWidgetProvider[] = ['mava', 'helpwave', 'tickiti'];
void attributes;
void providers;

// The global JSX namespace (Preact, Solid, Vue's TSX): relay required, provider one of three.
const inJsx: JSX.IntrinsicElements['ticketwire-widget'] = { relay: '/support', provider: 'helpwave', id: 'help' };
// @ts-expect-error: relay is required
const noRelay: JSX.IntrinsicElements['ticketwire-widget'] = { provider: 'mava' };
// @ts-expect-error: not a provider
const wrongProvider: JSX.IntrinsicElements['ticketwire-widget'] = { relay: '/support', provider: 'zendesk' };
void [inJsx, noRelay, wrongProvider];
