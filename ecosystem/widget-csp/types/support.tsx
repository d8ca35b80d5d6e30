// React 19's types (@types/react 19, `jsx: react-jsx`, no skipLibCheck): the element in TSX, its
// attributes checked, and the DOM's tag map.
import { useEffect, useRef } from 'react';
import type { TicketwireWidget } from 'ticketwire/widget';
import 'ticketwire/widget';

export function Support() {
  const widget = useRef<TicketwireWidget>(null);
  useEffect(() => {
    if (widget.current) widget.current.provider = 'tickiti';
  }, []);
  return <ticketwire-widget ref={widget} relay="/support" provider="helpwave" className="support" id="help" />;
}

export const queried: TicketwireWidget | null = document.querySelector('ticketwire-widget');

// @ts-expect-error: relay is required
export const NoRelay = () => <ticketwire-widget provider="mava" />;

// @ts-expect-error: not a provider
export const Zendesk = () => <ticketwire-widget relay="/support" provider="zendesk" />;
