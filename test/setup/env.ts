// Every Google client in tests talks to a local endpoint with a pass-through auth client;
// this keeps google-auth-library from probing the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.GOOGLE_CLOUD_PROJECT ??= 'cutover-test';
