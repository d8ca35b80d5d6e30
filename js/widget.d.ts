// `ticketwire/widget`: the <ticketwire-widget> custom element, and its tag in the DOM's and
// JSX's element maps (React's `React.JSX`, and the global `JSX` other JSX libraries read).
/**
 * The support widget: `<script type="module" src="…/ticketwire/widget.mjs">` (or
 * `import 'ticketwire/widget'`) defines `<ticketwire-widget relay="/support" provider="helpwave">`.
 *
 * @module ticketwire/widget
 */

/** Which helpdesk the widget's form is for. */
export type TicketwireWidgetProvider = 'mava' | 'helpwave' | 'tickiti';

/** The widget's attributes. */
export interface TicketwireWidgetAttributes {
  /** The relay's URL: absolute (`https://relay.shop.example`), or a path on this site (`/support`). */
  relay: string;
  /** Which helpdesk (default `helpwave`). */
  provider?: TicketwireWidgetProvider;
}

/**
 * `<ticketwire-widget relay="/support" provider="helpwave">`: a support form that checks each
 * field as the visitor types, files the ticket through your relay, then shows the conversation.
 * Importing this module defines the element (in a browser; on a server it does nothing).
 */
export declare class TicketwireWidget extends HTMLElement {
  /** The `relay` attribute: the relay's URL, or a path on this site (`/support`). */
  relay: string;
  /** The `provider` attribute (`helpwave` when absent). */
  provider: TicketwireWidgetProvider;
}

/** The element in JSX: its attributes, and what any element takes (`id`, `class`, `className`, `style`, `key`, `ref`…). */
type TicketwireWidgetJsx = TicketwireWidgetAttributes & { [name: string]: unknown };

declare global {
  interface HTMLElementTagNameMap {
    'ticketwire-widget': TicketwireWidget;
  }
  namespace JSX {
    interface IntrinsicElements {
      'ticketwire-widget': TicketwireWidgetJsx;
    }
  }
}

// React 19 reads `React.JSX`, not the global one. (Without React installed, this augmentation
// is ignored; so it names no React type.)
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ticketwire-widget': TicketwireWidgetJsx;
    }
  }
}
