package org.dialbalance.reliability;

/**
 * Defects the campaign found in the library and reported to the lead; fixing them is not this module's job (the
 * library is edited elsewhere). Each has a minimal reproduction, disabled with its reason, in
 * {@link KnownDefectsTest}. The fuzzer reports their occurrences and goes on; {@code -Dreliability.strict=true}
 * fails on them too. When one is fixed: enable its reproduction and delete its constant here.
 */
enum KnownDefect {

    /** A server-to-client frame of a client-to-server type (RequestMakeCall, ...) reaches the host as a TelephonyEvent. */
    WRONG_DIRECTION_EVENT_DELIVERED,
    /** A frame that is no unsolicited event (EventLinkConnected after registration) reaches the host as a TelephonyEvent. */
    NON_EVENT_DELIVERED,
    /** EventEstablished / EventReleased without their required ConnID reach the host with an empty ConnID. */
    EVENT_WITHOUT_CONNID_DELIVERED,
    /** EventRinging without its required ThisDN reaches the host with an empty ThisDN. */
    EVENT_WITHOUT_THISDN_DELIVERED,
    /** EventDialing without its required ConnID completes a dial as Accepted / Dialed with an empty ConnID. */
    DIALED_WITHOUT_CONNID;

    String category() {
        return "known:" + name();
    }

    static boolean isKnown(String category) {
        return category.startsWith("known:");
    }
}
