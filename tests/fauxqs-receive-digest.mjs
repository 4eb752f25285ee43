// Imported by the fauxqs launchers (sqs-server.sh, FaultTests' PersistentSqsServer), which run from tests/.
//
// Two places where fauxqs 2.4.1 answers a ReceiveMessage unlike SQS, mended before the response is written:
// - A receive that names no message attributes gets every one from fauxqs; SQS returns none (only the names asked for,
//   or `All` / `.*`, bring any). Clients measured against fauxqs would otherwise pay for attributes they never asked for.
// - A receive that names some gets only those, but fauxqs leaves the digest of all of them in MD5OfMessageAttributes,
//   which the AWS SDKs check and refuse ("Attribute MD5 hash mismatch"). SQS digests the attributes it returns.
import { md5OfMessageAttributes } from "./node_modules/fauxqs/dist/common/md5.js";

export function digestReturnedAttributes(app) {
  app.addHook("preSerialization", async (request, _reply, payload) => {
    if (request.headers["x-amz-target"] === "AmazonSQS.ReceiveMessage") {
      const named = request.body?.MessageAttributeNames ?? [];
      for (const message of payload?.Messages ?? []) {
        if (named.length === 0) {
          delete message.MessageAttributes;
          delete message.MD5OfMessageAttributes;
        } else if (message.MessageAttributes) {
          message.MD5OfMessageAttributes = md5OfMessageAttributes(message.MessageAttributes);
        }
      }
    }
    return payload;
  });
}
