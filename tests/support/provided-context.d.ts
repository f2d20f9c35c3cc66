declare module 'vitest' {
  export interface ProvidedContext {
    /** The KV bulk entries of the real content build (tests/support/global-setup.ts). */
    kvEntries: { key: string; value: string }[];
    /** Origin of the Node webhook receiver (tests/support/webhook-receiver.ts). */
    webhookReceiver: string;
    /** The test Access team's private key, to sign assertions (tests/support/access-keys.ts). */
    accessPrivateJwk: import('jose').JWK;
  }
}

export {};
