package routes.library;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;
import routes.problems.Refusal;

/**
 * The page a pitch link's recipient opens in a browser: the pitch's title and message, each item with an
 * {@code <audio>} (or {@code <video>}) player that seeks through Range requests and, when the link allows, a download
 * link; a password form when the link has a password; a short page saying why when the link no longer works.
 * Everything shown is escaped; the page loads nothing from elsewhere.
 */
public final class PitchPage {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
            + "padding:0 1rem;color:#1d1d1f}li{margin:1rem 0;list-style:none}audio,video{width:100%}"
            + "small{color:#555}a.dl{font-size:.9rem}";

    private PitchPage() {
    }

    public static String page(PitchLinks.PublicView view) {
        StringBuilder html = head(view.title());
        html.append("<h1>").append(esc(view.title())).append("</h1>\n<p><small>For ").append(esc(view.recipient()))
                .append(" from ").append(esc(view.from())).append(" &middot; until ")
                .append(DAY.format(view.expiresAt())).append("</small></p>\n");
        if (view.message() != null) {
            html.append("<p>").append(esc(view.message())).append("</p>\n");
        }
        html.append("<ol>\n");
        for (PitchLinks.PublicItem item : view.items()) {
            html.append("<li><strong>").append(esc(item.title())).append("</strong>");
            if (item.artist() != null) {
                html.append(" &mdash; ").append(esc(item.artist()));
            }
            if (item.duration() != null) {
                long s = Math.round(item.duration());
                html.append(" <small>").append(s / 60).append(':').append(String.format("%02d", s % 60))
                        .append("</small>");
            }
            // preload none: a browser's look at a file's start (for its duration) asks for its first bytes, which
            // the link counts as a play; only pressing play may
            if (item.stream() != null) {
                html.append("<br><audio controls preload=\"none\" src=\"").append(esc(item.stream()))
                        .append("\" aria-label=\"Play ").append(esc(item.title())).append("\"></audio>");
            }
            if (item.download() != null) {
                html.append("<br><a class=\"dl\" href=\"").append(esc(item.download())).append("\" download>Download ")
                        .append(esc(item.title())).append("</a>");
            }
            html.append("</li>\n");
        }
        return html.append("</ol>\n</body></html>\n").toString();
    }

    /** The password form, with what went wrong the time before (or null). */
    public static String password(String token, String problem) {
        StringBuilder html = head("Password needed");
        html.append("<h1>Password needed</h1>\n");
        if (problem != null) {
            html.append("<p role=\"alert\">").append(esc(problem)).append("</p>\n");
        }
        return html.append("<form method=\"post\" action=\"/p/").append(esc(token)).append("\">")
                .append("<label for=\"password\">Password</label> ")
                .append("<input id=\"password\" name=\"password\" type=\"password\" required autofocus> ")
                .append("<button type=\"submit\">Open</button></form>\n</body></html>\n").toString();
    }

    /** A link that does not work (any more), and why. */
    public static String refused(Refusal refusal) {
        String title = switch (refusal.kind()) {
            case GONE -> "This link no longer works";
            case NOT_FOUND -> "No such link";
            default -> "This link cannot be opened";
        };
        return head(title).append("<h1>").append(title).append("</h1>\n<p>").append(esc(refusal.detail()))
                .append("</p>\n</body></html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(2048).append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\"><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
    }

    static String esc(String text) {
        return text == null ? "" : org.springframework.web.util.HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
