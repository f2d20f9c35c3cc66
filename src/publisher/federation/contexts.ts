/**
 * JSON-LD contexts without the network. Fedify's loaders fetch any context they do not hold:
 * a sender could make the inbox fetch any URL just by naming it in `@context`. Here the known
 * contexts are Fedify's preloaded set plus Pleroma/Akkoma's LitePub context, which each of
 * their instances serves at its own `/schemas/litepub-0.1.jsonld` (without it their activities
 * would not parse, and their users and replies would be lost); any other context resolves to an
 * empty one, so its terms drop out and the document is read as plain ActivityStreams.
 */
import { type DocumentLoader, preloadedContexts, type RemoteDocument } from '@fedify/vocab-runtime';

/** LitePub 0.1 as Pleroma and Akkoma serve it (priv/static/schemas/litepub-0.1.jsonld). */
const LITEPUB = {
  '@context': [
    'https://www.w3.org/ns/activitystreams',
    'https://w3id.org/security/v1',
    'https://purl.archive.org/socialweb/webfinger',
    {
      Emoji: 'toot:Emoji',
      Hashtag: 'as:Hashtag',
      PropertyValue: 'schema:PropertyValue',
      atomUri: 'ostatus:atomUri',
      conversation: { '@id': 'ostatus:conversation', '@type': '@id' },
      discoverable: 'toot:discoverable',
      manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
      capabilities: 'litepub:capabilities',
      ostatus: 'http://ostatus.org#',
      schema: 'http://schema.org#',
      toot: 'http://joinmastodon.org/ns#',
      fedibird: 'http://fedibird.com/ns#',
      value: 'schema:value',
      sensitive: 'as:sensitive',
      litepub: 'http://litepub.social/ns#',
      invisible: 'litepub:invisible',
      directMessage: 'litepub:directMessage',
      listMessage: { '@id': 'litepub:listMessage', '@type': '@id' },
      quoteUrl: 'as:quoteUrl',
      quoteUri: 'fedibird:quoteUri',
      oauthRegistrationEndpoint: { '@id': 'litepub:oauthRegistrationEndpoint', '@type': '@id' },
      EmojiReact: 'litepub:EmojiReact',
      ChatMessage: 'litepub:ChatMessage',
      alsoKnownAs: { '@id': 'as:alsoKnownAs', '@type': '@id' },
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      formerRepresentations: 'litepub:formerRepresentations',
      sm: 'http://smithereen.software/ns#',
      nonAnonymous: 'sm:nonAnonymous',
      misskey: 'https://misskey-hub.net/ns#',
      isCat: 'misskey:isCat',
      firefish: 'https://joinfirefish.org/ns#',
      speakAsCat: 'firefish:speakAsCat',
    },
  ],
};

const LITEPUB_PATH = /^https?:\/\/[^/]+\/schemas\/litepub-0\.1\.jsonld$/;

/** The context named `url`, from memory: preloaded, LitePub, or empty. Never fetches. */
export const loadContext: DocumentLoader = async (url: string): Promise<RemoteDocument> => {
  const known = (preloadedContexts as Record<string, unknown>)[url];
  const document = known ?? (LITEPUB_PATH.test(url) ? LITEPUB : { '@context': {} });
  return { contextUrl: null, documentUrl: url, document };
};

/** A document loader that loads nothing: every remote document is fetched by remote.ts. */
export const refuseDocument: DocumentLoader = async (url: string) => {
  throw new Error(`${url} was not fetched: remote documents are loaded only through remote.ts`);
};
