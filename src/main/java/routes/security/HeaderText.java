package routes.security;

/**
 * What the firewall lets through in a header's name or value: Spring Security's rule (every character assigned in
 * Unicode and none a control character), checked with a loop instead of its regular expression, which runs on every
 * read of every header and costs a noticeable share of a request's time with a kilobyte-long access token.
 */
final class HeaderText {

    private HeaderText() {
    }

    static boolean allowed(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!Character.isDefined(c) || Character.getType(c) == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
