// Imported first by benchmarks (side effect only): quiet Powertools and fake credentials for the mocked AWS SDK,
// set before any module that reads them at load.
Object.assign(process.env, {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'eu-west-1',
});
