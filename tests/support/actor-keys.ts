/**
 * The site actor's two key pairs, as `npm run activitypub:keys` makes them, for the tests inside
 * workerd (scripts/lib/actor-keys.ts imports no Node module).
 */
export { generateRsaKeyPair, makeActorKeys as actorKeys } from '../../scripts/lib/actor-keys';
