package routes.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import routes.embedded.identity.Users;
import routes.support.Browser;
import routes.support.BrowserTestSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The operators' page in a real browser: an admin sees every queue with its waiting and parked messages, looks at a
 * dead letter and redrives it (its queue's dead-letter count goes back to 0); anyone else has no Operations link and
 * is told the page is for administrators.
 */
class ConsoleOpsTest extends BrowserTestSupport {

    private static final String QUEUE = "caravan-transcode";

    @Autowired
    SqsClient sqs;

    @Test
    void anAdminSeesTheQueuesAndRedrivesAParkedMessage() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String dlq = sqs.getQueueUrl(r -> r.queueName(QUEUE + "-dlq")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(dlq).messageBody("{\"jobId\":\"" + jobId + "\",\"assetId\":\"a-ops\"}")
                .messageAttributes(Map.of("jobId", MessageAttributeValue.builder().dataType("String")
                        .stringValue(jobId).build())));

        Browser browser = signedOut();
        browser.signIn(base(), "ops-admin", Users.add(dataDir(), "ops-admin", true));
        browser.visible(By.cssSelector("#nav a[href='#/ops']")).click();
        browser.visible(By.cssSelector("#queue-rows tr[data-queue='" + QUEUE + "']"));
        assertThat(browser.driver().findElements(By.cssSelector("#queue-rows tr")).stream()
                .map(tr -> tr.getAttribute("data-queue")).toList()).contains(QUEUE, "caravan-thumbnails");
        assertThat(Long.parseLong(deadLetters(browser))).isGreaterThanOrEqualTo(1);

        browser.visible(By.cssSelector("button[aria-label='Dead letters of " + QUEUE + "']")).click();
        WebElement letter = browser.until(d -> d.findElements(By.cssSelector("#dead-letters li")).stream()
                .filter(li -> li.getText().contains(jobId)).findFirst().orElse(null));
        assertThat(letter.findElement(By.cssSelector(".reason")).getText()).contains("Why:", jobId, "no longer exists");
        browser.pageShot("operations");
        assertThat(browser.seriousAccessibilityViolations()).as("the operations page").isEmpty();
        assertThat(browser.overflowAt(375)).as("wider than a phone by, px").isLessThanOrEqualTo(0);

        browser.visible(By.cssSelector("button[aria-label='Redrive " + QUEUE + "']")).click();
        browser.until(d -> "0".equals(deadLetters(browser)));
        assertThat(browser.text(By.id("alerts"))).contains("moved back to " + QUEUE);
    }

    /** The dead-letter count the page shows for the queue, read at once (the table is made again on each refresh). */
    private static String deadLetters(Browser browser) {
        return (String) browser.script("return document.querySelector(\"#queue-rows tr[data-queue='" + QUEUE
                + "'] [data-count='dead-letters']\")?.textContent");
    }

    @Test
    void someoneElseHasNoOperationsLinkAndIsToldWhy() {
        Browser browser = signedIn("ops-visitor");
        assertThat(browser.visible(By.cssSelector("#nav a[href='#/library']")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.cssSelector("#nav a[href='#/ops']")).isDisplayed()).isFalse();
        browser.open(base().resolve("/#/ops"));
        assertThat(browser.text(By.id("ops-refused"))).contains("Only administrators");
        assertThat(browser.driver().findElements(By.id("queues"))).isEmpty();
    }
}
