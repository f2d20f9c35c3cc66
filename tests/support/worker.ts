/**
 * The test Worker: the reader (default export), the publisher as a named entrypoint, and the
 * publisher's Durable Object class, in one workerd, so tests drive the real reader, whose
 * PUBLISHER service binding (vitest.config.ts) reaches the real publisher and its real object.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import publisher from '../../src/publisher/index';
import reader from '../../src/reader/index';

export { SiteWriter } from '../../src/publisher/site-writer';

export class Publisher extends WorkerEntrypoint<PublisherBindings> {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(publisher.fetch(request, this.env, this.ctx));
  }
}

export default reader;
