// @smithy/core/event-streams as the Lambda client imports it statically (for InvokeWithResponseStream, which warden
// never calls): the config resolver the client runs at construction, and a marshaller that fails loudly if an
// event stream is ever sent or read. Saves the event-stream codec (~10 KB) in every bundle with a Lambda client.
const unsupported = () => {
  throw new Error("event streams are not available in warden's Lambda bundle (build/esbuild-plugins.cjs)");
};
export const eventStreamSerdeProvider = () => ({ serialize: unsupported, deserialize: unsupported });
export const resolveEventStreamSerdeConfig = (input) =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });
