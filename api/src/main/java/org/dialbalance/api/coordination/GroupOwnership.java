package org.dialbalance.api.coordination;

import org.dialbalance.api.Experimental;

/**
 * Which campaign groups this dialer may dial now, read on the dial path of every request.
 *
 * <p>{@link #fencingToken(String)} must be a cheap, non-blocking, allocation-free read — in practice one volatile
 * read of an immutable map — since the dispatcher calls it once per request. Its answer is:
 * <ul>
 *   <li>a positive number: this dialer owns the group, and the number is the group's fencing token, which
 *       increases on every change of owner of that group; every request of the group is sent with it (see
 *       {@link #FENCING_TOKEN_KEY}) so that a server can refuse a request of a former owner;</li>
 *   <li>{@link #UNFENCED} (0): owned, without a token (a balancer without coordination owns every group);</li>
 *   <li>{@link #NOT_OWNER} (any negative number): another dialer owns it, or nobody may dial it now (the
 *       coordination service is out of reach); the request is held with {@code HoldReason.NOT_OWNER} and nothing
 *       is sent.</li>
 * </ul>
 */
@Experimental(reason = "new in 0.4: several dialers over one cluster; names and the token's wire form may change")
public interface GroupOwnership {

    /** The answer of {@link #fencingToken} for a group this dialer does not own now. */
    long NOT_OWNER = -1;

    /** The answer of {@link #fencingToken} for a group owned without a fencing token. */
    long UNFENCED = 0;

    /**
     * The request extension that carries the fencing token of an owned group, as decimal digits. Sent only with a
     * positive token, together with {@link #CAMPAIGN_GROUP_KEY}.
     */
    String FENCING_TOKEN_KEY = "dialbalance-fencing-token";

    /** The request extension that names the campaign group a fencing token belongs to. */
    String CAMPAIGN_GROUP_KEY = "dialbalance-campaign-group";

    /** Owns every campaign group, with no token: what a balancer without coordination does. */
    GroupOwnership ALL = new GroupOwnership() {
        @Override
        public long fencingToken(String campaignGroup) {
            return UNFENCED;
        }

        @Override
        public String notOwnerDetail(String campaignGroup) {
            return "owned";
        }

        @Override
        public String toString() {
            return "every campaign group (no coordination)";
        }
    };

    /**
     * This dialer's token for a campaign group: positive when owned with a token, {@link #UNFENCED} when owned
     * without one, negative when not owned. Called concurrently on every request; never blocks.
     *
     * @param campaignGroup the campaign group's name
     */
    long fencingToken(String campaignGroup);

    /**
     * Why this dialer does not own a group now, for the detail of a held request: who owns it, or that the
     * coordination service is out of reach. Called only for a request about to be held; may allocate.
     *
     * @param campaignGroup the campaign group's name
     */
    String notOwnerDetail(String campaignGroup);
}
