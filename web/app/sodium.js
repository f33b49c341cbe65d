// libsodium.js (the "sumo" build: ristretto255 and the Ed25519 point
// checks are only there), ready to use.  The files come from npm through
// web/scripts/vendor.mjs; docs/PROTOCOL.md names every call made with it.
import sodium from '../vendor/libsodium-wrappers.mjs';

await sodium.ready;

export default sodium;
