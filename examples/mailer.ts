/** A stand-in mail service for the examples: it keeps what it sends, so the demo can print it. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export const outbox: Mail[] = [];

export const mailer = {
  async send(to: string, subject: string, body: string): Promise<void> {
    outbox.push({ to, subject, body });
  },
};
