// Imported by the fauxqs launchers (sqs-server.sh, FaultTests' PersistentSqsServer), which run from tests/.
//
// A receive that names some message attributes gets only those, but fauxqs 2.4.1 leaves the digest of all of them in
// MD5OfMessageAttributes, which the AWS SDKs check and refuse ("Attribute MD5 hash mismatch"). SQS digests the
// attributes it returns: so does this hook, before the response is written.
import { md5OfMessageAttributes } from "./node_modules/fauxqs/dist/common/md5.js";

export function digestReturnedAttributes(app) {
  app.addHook("preSerialization", async (request, _reply, payload) => {
    if (request.headers["x-amz-target"] === "AmazonSQS.ReceiveMessage") {
      for (const message of payload?.Messages ?? []) {
        if (message.MessageAttributes) {
          message.MD5OfMessageAttributes = md5OfMessageAttributes(message.MessageAttributes);
        }
      }
    }
    return payload;
  });
}
