package routes.embedded.sns;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics and subscriptions, kept in memory and saved as JSON to the state file after every change
 * (written to a temporary file, then moved over the old one). All methods are thread-safe; the records
 * handed out are immutable snapshots.
 */
final class SnsRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SnsRegistry.class);
    private static final int STATE_VERSION = 1;

    /** A page of a listing and the token for the next one (null on the last page). */
    record Page<T>(List<T> items, String nextToken) {
    }

    /** The layout of the state file. */
    private record State(int version, List<SnsTopic> topics, List<SnsSubscription> subscriptions) {
    }

    private final Path stateFile;
    private final ObjectMapper json;
    private TreeMap<String, SnsTopic> topics = new TreeMap<>();
    private TreeMap<String, SnsSubscription> subscriptions = new TreeMap<>();

    SnsRegistry(Path stateFile, ObjectMapper json) {
        this.stateFile = stateFile;
        this.json = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Replaces the in-memory state with the state file's, if there is one. */
    synchronized void load() throws IOException {
        TreeMap<String, SnsTopic> loadedTopics = new TreeMap<>();
        TreeMap<String, SnsSubscription> loadedSubscriptions = new TreeMap<>();
        if (Files.exists(stateFile)) {
            State state = json.readValue(stateFile.toFile(), State.class);
            if (state.topics() != null) {
                state.topics().forEach(topic -> loadedTopics.put(topic.arn(), topic));
            }
            if (state.subscriptions() != null) {
                for (SnsSubscription subscription : state.subscriptions()) {
                    if (loadedTopics.containsKey(subscription.topicArn())) {
                        loadedSubscriptions.put(subscription.arn(), subscription);
                    } else {
                        LOG.warn("Dropping subscription {} of missing topic {}", subscription.arn(),
                                subscription.topicArn());
                    }
                }
            }
            LOG.info("Loaded {} SNS topics and {} subscriptions from {}", loadedTopics.size(),
                    loadedSubscriptions.size(), stateFile);
        }
        topics = loadedTopics;
        subscriptions = loadedSubscriptions;
    }

    // ---- topics

    /**
     * Creates the topic, or returns the existing one of that ARN when the given attributes agree with it
     * (CreateTopic is idempotent); differing attributes are an {@code InvalidParameter} error.
     */
    synchronized SnsTopic createTopic(SnsTopic topic) {
        SnsTopic existing = topics.get(topic.arn());
        if (existing != null) {
            topic.attributes().forEach((name, value) -> {
                if (!value.equals(existing.attributes().get(name))) {
                    throw SnsException.invalidParameter(
                            "Attributes Reason: Topic already exists with different attributes");
                }
            });
            return existing;
        }
        change(() -> topics.put(topic.arn(), topic));
        return topic;
    }

    /** Deletes the topic and its subscriptions; deleting a missing topic is not an error, as in SNS. */
    synchronized void deleteTopic(String topicArn) {
        if (topics.containsKey(topicArn)) {
            change(() -> {
                topics.remove(topicArn);
                subscriptions.values().removeIf(subscription -> subscription.topicArn().equals(topicArn));
            });
        }
    }

    synchronized Optional<SnsTopic> topic(String topicArn) {
        return Optional.ofNullable(topics.get(topicArn));
    }

    synchronized SnsTopic requireTopic(String topicArn) {
        return topic(topicArn).orElseThrow(() -> SnsException.notFound("Topic does not exist"));
    }

    /** Replaces the topic with {@code update.apply(topic)}, which may throw to refuse the change. */
    synchronized SnsTopic updateTopic(String topicArn, UnaryOperator<SnsTopic> update) {
        SnsTopic changed = update.apply(requireTopic(topicArn));
        change(() -> topics.put(topicArn, changed));
        return changed;
    }

    synchronized Page<SnsTopic> listTopics(String nextToken, int pageSize) {
        return page(topics, nextToken, pageSize);
    }

    // ---- subscriptions

    /**
     * Adds the subscription, or returns the existing one for the same topic, protocol and endpoint when
     * its attributes are the same; different attributes are an {@code InvalidParameter} error, as in SNS.
     */
    synchronized SnsSubscription subscribe(SnsSubscription subscription) {
        requireTopic(subscription.topicArn());
        for (SnsSubscription existing : subscriptions.values()) {
            if (existing.topicArn().equals(subscription.topicArn())
                    && existing.protocol().equals(subscription.protocol())
                    && existing.endpoint().equals(subscription.endpoint())) {
                if (!existing.attributes().equals(subscription.attributes())) {
                    throw SnsException.invalidParameter(
                            "Attributes Reason: Subscription already exists with different attributes");
                }
                return existing;
            }
        }
        change(() -> subscriptions.put(subscription.arn(), subscription));
        return subscription;
    }

    /** Removes the subscription; removing a missing one is not an error. */
    synchronized void unsubscribe(String subscriptionArn) {
        if (subscriptions.containsKey(subscriptionArn)) {
            change(() -> subscriptions.remove(subscriptionArn));
        }
    }

    synchronized SnsSubscription requireSubscription(String subscriptionArn) {
        SnsSubscription subscription = subscriptions.get(subscriptionArn);
        if (subscription == null) {
            throw SnsException.notFound("Subscription does not exist");
        }
        return subscription;
    }

    /** Replaces the subscription with {@code update.apply(subscription)}, which may throw to refuse the change. */
    synchronized SnsSubscription updateSubscription(String subscriptionArn, UnaryOperator<SnsSubscription> update) {
        SnsSubscription changed = update.apply(requireSubscription(subscriptionArn));
        change(() -> subscriptions.put(subscriptionArn, changed));
        return changed;
    }

    /** The subscriptions of a topic, to deliver to. */
    synchronized List<SnsSubscription> subscriptionsOf(String topicArn) {
        List<SnsSubscription> result = new ArrayList<>();
        subscriptions.values().forEach(subscription -> {
            if (subscription.topicArn().equals(topicArn)) {
                result.add(subscription);
            }
        });
        return result;
    }

    /** A page of all subscriptions, or of one topic's when {@code topicArn} is not null. */
    synchronized Page<SnsSubscription> listSubscriptions(String topicArn, String nextToken, int pageSize) {
        if (topicArn == null) {
            return page(subscriptions, nextToken, pageSize);
        }
        requireTopic(topicArn);
        TreeMap<String, SnsSubscription> ofTopic = new TreeMap<>();
        subscriptionsOf(topicArn).forEach(subscription -> ofTopic.put(subscription.arn(), subscription));
        return page(ofTopic, nextToken, pageSize);
    }

    // ---- paging and persistence

    /** Pages in key order; the token is the last key handed out, so paging survives concurrent changes. */
    private static <T> Page<T> page(NavigableMap<String, T> items, String nextToken, int pageSize) {
        NavigableMap<String, T> rest = items;
        if (nextToken != null && !nextToken.isEmpty()) {
            String lastKey;
            try {
                lastKey = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw SnsException.invalidParameter("NextToken");
            }
            rest = items.tailMap(lastKey, false);
        }
        List<T> page = new ArrayList<>(Math.min(pageSize, rest.size()));
        String lastKey = null;
        for (var entry : rest.entrySet()) {
            if (page.size() == pageSize) {
                String token = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
                return new Page<>(page, token);
            }
            page.add(entry.getValue());
            lastKey = entry.getKey();
        }
        return new Page<>(page, null);
    }

    /**
     * Applies a change and saves the state; when saving fails the change is undone and the request fails,
     * so memory never holds what the file does not.
     */
    private void change(Runnable mutation) {
        TreeMap<String, SnsTopic> topicsBefore = new TreeMap<>(topics);
        TreeMap<String, SnsSubscription> subscriptionsBefore = new TreeMap<>(subscriptions);
        mutation.run();
        try {
            save();
        } catch (IOException e) {
            topics = topicsBefore;
            subscriptions = subscriptionsBefore;
            LOG.error("Could not save the SNS state to {}", stateFile, e);
            throw new SnsException(500, "InternalError", "Could not save the SNS state");
        }
    }

    private void save() throws IOException {
        Path directory = stateFile.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, stateFile.getFileName().toString(), ".tmp");
        try {
            State state = new State(STATE_VERSION, List.copyOf(topics.values()), List.copyOf(subscriptions.values()));
            json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), state);
            try {
                Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
