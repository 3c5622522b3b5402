import { SignalApi } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

/** A signal's message, as the signal API types it. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/**
 * The app's signal API as a test drives it: it records subscriptions and
 * delivers the messages the test sends, as the signals backend would.
 */
export class FakeSignalApi implements SignalApi {
  private readonly subscribers = new Map<
    string,
    Set<(message: JsonObject) => void>
  >();

  subscribe<TMessage extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: TMessage) => void,
  ) {
    const handlers = this.subscribers.get(channel) ?? new Set();
    const handler = onMessage as (message: JsonObject) => void;
    handlers.add(handler);
    this.subscribers.set(channel, handlers);
    return { unsubscribe: () => handlers.delete(handler) };
  }

  /** The channels someone listens to now. */
  channels(): string[] {
    return [...this.subscribers.entries()]
      .filter(([, handlers]) => handlers.size > 0)
      .map(([channel]) => channel);
  }

  /** Delivers `message` to the channel's subscribers. */
  async send(channel: string, message: JsonObject) {
    await act(async () => {
      for (const handler of this.subscribers.get(channel) ?? []) {
        handler({ ...message });
      }
    });
  }
}
