package routes.embedded.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Builds the JSON notification that SNS puts in the body of an SQS message when raw message delivery
 * is off, with the fields in the order SNS writes them.
 *
 * <p>The {@code Signature} is a well-formed Base64 value but not a verifiable RSA signature: there is no
 * signing certificate behind {@code SigningCertURL}.
 */
final class SnsEnvelope {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final URI endpoint;

    SnsEnvelope(ObjectMapper json, URI endpoint) {
        this.json = json;
        this.endpoint = endpoint;
    }

    String notification(SnsMessage message, String subscriptionArn) {
        ObjectNode envelope = json.createObjectNode();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", message.messageId());
        if (message.sequenceNumber() != null) {
            envelope.put("SequenceNumber", message.sequenceNumber());
        }
        envelope.put("TopicArn", message.topicArn());
        if (message.subject() != null) {
            envelope.put("Subject", message.subject());
        }
        envelope.put("Message", message.message());
        envelope.put("Timestamp", TIMESTAMP.format(message.timestamp()));
        envelope.put("SignatureVersion", "1");
        envelope.put("Signature", signature(envelope));
        envelope.put("SigningCertURL", endpoint.resolve("/SimpleNotificationService-local.pem").toString());
        envelope.put("UnsubscribeURL", endpoint.resolve("/?Action=Unsubscribe&SubscriptionArn="
                + URLEncoder.encode(subscriptionArn, StandardCharsets.UTF_8)).toString());
        if (!message.attributes().isEmpty()) {
            ObjectNode attributes = envelope.putObject("MessageAttributes");
            message.attributes().forEach((name, attribute) -> attributes.putObject(name)
                    .put("Type", attribute.dataType())
                    .put("Value", attribute.envelopeValue()));
        }
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write an SNS envelope", e);
        }
    }

    /** A digest of the fields SNS signs, standing in for the signature. */
    private static String signature(ObjectNode signedFields) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(signedFields.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
