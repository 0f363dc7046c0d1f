#!/usr/bin/env node
// The keywarden CLI. The AWS SDK's Node-version notice is for developers of the SDK's users, not for ours.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('keywarden is not built yet: run `npm ci` (or `npm run build`) in the keywarden folder.');
  } else {
    console.error(`keywarden: ${error?.message ? error.message : error}`);
  }
  process.exit(2);
});
