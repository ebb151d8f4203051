package org.dialbalance.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.HoldReason;

/**
 * The summary and the HTML report of a run with several dialers: requests per dialer and outcome, which dialer owned
 * which campaign group over time (from the dialers' {@code OwnershipChanged} events), the kills and each moved group's
 * take-over time.
 */
final class DialersReport {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};

    private DialersReport() {
    }

    /**
     * One stretch of time a dialer owned a group.
     *
     * @param group  the campaign group
     * @param dialer the owner
     * @param token  its fencing token
     * @param from   since when, in nanoseconds since the workload started (0: from the start)
     * @param to     until when, or {@link Long#MAX_VALUE} when it still owned the group at the end of the workload
     */
    record Ownership(String group, String dialer, long token, long from, long to) {
    }

    /** Who owned which group when, during the workload, per group in configured order, each group's stretches in time order. */
    static List<Ownership> timeline(DialersResult run) {
        List<DialersResult.OwnershipChange> changes = new ArrayList<>(run.ownership());
        changes.sort(Comparator.comparingLong(DialersResult.OwnershipChange::nanos));
        Map<String, DialersResult.OwnershipChange> open = new LinkedHashMap<>();
        List<Ownership> stretches = new ArrayList<>();
        List<DialersResult.Kill> kills = run.kills().stream().filter(kill -> kill.refusal() == null).toList();
        java.util.Set<String> dead = new java.util.HashSet<>();
        int nextKill = 0;
        for (DialersResult.OwnershipChange change : changes) {
            if (change.nanos() > run.durationNanos()) {
                break;    // after the workload (the dialers stopping): what is open now was owned until the end
            }
            for (; nextKill < kills.size() && kills.get(nextKill).nanos() <= change.nanos(); nextKill++) {
                die(kills.get(nextKill), open, stretches, dead);
            }
            if (dead.contains(change.dialer())) {
                continue;    // a dead dialer's coordinator noticing it lost its groups: it owned nothing since its death
            }
            String key = change.group() + "\u0000" + change.dialer();
            DialersResult.OwnershipChange taken = open.remove(key);
            if (taken != null && change.nanos() >= 0) {
                stretches.add(new Ownership(change.group(), change.dialer(), taken.token(), Math.max(0, taken.nanos()), change.nanos()));
            }
            if (change.owned()) {
                open.put(key, change);
            }
        }
        for (; nextKill < kills.size() && kills.get(nextKill).nanos() <= run.durationNanos(); nextKill++) {
            die(kills.get(nextKill), open, stretches, dead);
        }
        open.values().forEach(taken -> stretches.add(new Ownership(taken.group(), taken.dialer(), taken.token(),
                Math.max(0, taken.nanos()), Long.MAX_VALUE)));
        List<String> order = run.config().campaignGroups().stream().map(CampaignGroup::name).toList();
        stretches.sort(Comparator.comparingInt((Ownership stretch) -> order.indexOf(stretch.group())).thenComparingLong(Ownership::from));
        return stretches;
    }

    /** A killed dialer owns nothing from its death on: its open stretches end then. */
    private static void die(DialersResult.Kill kill, Map<String, DialersResult.OwnershipChange> open, List<Ownership> stretches,
                            java.util.Set<String> dead) {
        dead.add(kill.dialer());
        open.values().removeIf(taken -> {
            if (!taken.dialer().equals(kill.dialer())) {
                return false;
            }
            stretches.add(new Ownership(taken.group(), taken.dialer(), taken.token(), Math.max(0, taken.nanos()), kill.nanos()));
            return true;
        });
    }

    /** The summary, for the terminal. */
    static String text(DialersResult run) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%d dialers (coordination = zookeeper on an embedded ZooKeeper, session timeout %s);"
                        + " every request of the workload issued to each live dialer: %d requests in %s%n%n", run.dialers().size(),
                OwnershipVerdict.seconds(run.sessionTimeout().toNanos()), run.requests().size(), OwnershipVerdict.seconds(run.durationNanos())));
        text.append(String.format(Locale.ROOT, "  %-16s %8s %8s %14s %10s %8s %8s%n", "dialer", "issued", "dialed", "held NOT_OWNER",
                "held other", "failed", "fenced"));
        for (String dialer : run.dialers()) {
            long[] counts = counts(run, dialer);
            text.append(String.format(Locale.ROOT, "  %-16s %8d %8d %14d %10d %8d %8d%n", dialer, counts[0], counts[1], counts[2],
                    counts[3], counts[4], counts[5]));
        }
        text.append(String.format(Locale.ROOT, "%nOwnership over time (seconds since the workload started; token in brackets):%n"));
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (Ownership stretch : timeline(run)) {
            byGroup.computeIfAbsent(stretch.group(), ignored -> new ArrayList<>()).add(stretch.dialer() + " [" + stretch.token() + "] "
                    + span(stretch));
        }
        byGroup.forEach((group, stretches) -> text.append(String.format(Locale.ROOT, "  %-14s %s%n", group, String.join("; ", stretches))));
        for (DialersResult.Kill kill : run.kills()) {
            text.append(String.format(Locale.ROOT, "%nFault '%s' before request #%d: %s%n", kill.fault().text(), kill.beforeRequest(),
                    kill.refusal() != null ? "not applied: " + kill.refusal() : "dialer " + kill.dialer() + " killed at "
                            + OwnershipVerdict.seconds(kill.nanos()) + ", owning " + (kill.owned().isEmpty() ? "no group" : kill.owned())));
            for (DialersResult.TakeOver takeOver : run.takeOvers()) {
                if (takeOver.kill() == kill) {
                    text.append(String.format(Locale.ROOT, "  take-over of %-14s %s%n", takeOver.group(), takeOver.nanos() < 0
                            ? "none before the run ended" : OwnershipVerdict.seconds(takeOver.nanos()) + " by " + takeOver.by()));
                }
            }
        }
        return text.toString();
    }

    /** Issued, dialed, held NOT_OWNER, held otherwise, failed, fenced by the cluster: the requests of one dialer. */
    private static long[] counts(DialersResult run, String dialer) {
        long[] counts = new long[6];
        for (RequestRecord request : run.requests()) {
            if (!request.dialer.equals(dialer)) {
                continue;
            }
            counts[0]++;
            DialOutcome outcome = request.outcome();
            if (outcome instanceof DialOutcome.Dialed) {
                counts[1]++;
            } else if (outcome instanceof DialOutcome.Held held) {
                counts[held.reason().equals(HoldReason.NOT_OWNER) ? 2 : 3]++;
            } else if (outcome instanceof DialOutcome.Failed) {
                counts[4]++;
            }
        }
        counts[5] = run.received().stream().filter(record -> record.dialer().equals(dialer) && record.fencing() != null
                && record.fencing().fenced()).count();
        return counts;
    }

    private static String span(Ownership stretch) {
        return (stretch.from() == 0 ? "start" : String.format(Locale.ROOT, "%.3f", stretch.from() / 1e9)) + "–"
                + (stretch.to() == Long.MAX_VALUE ? "end" : String.format(Locale.ROOT, "%.3f", stretch.to() / 1e9));
    }

    /** Writes the report. */
    static void write(Path file, DialersResult run, List<Verdict.Result> verdict) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html(run, verdict), StandardCharsets.UTF_8);
    }

    /** The report as one HTML page: the verdict, the ownership timeline (a chart and a table), requests per dialer, the kills. */
    static String html(DialersResult run, List<Verdict.Result> verdict) {
        StringBuilder html = HtmlReport.head(run.scenario());
        html.append("<p>").append(run.dialers().size()).append(" dialers over one simulated cluster, coordinated on an embedded")
                .append(" ZooKeeper (session timeout ").append(OwnershipVerdict.seconds(run.sessionTimeout().toNanos()))
                .append("); every request of the workload issued to each live dialer; seed ").append(run.scenario().seed())
                .append(".</p>");
        if (run.interrupted()) {
            html.append("<p><b>Stopped early (interrupted)</b>: the tables and the verdict cover the requests issued.</p>");
        }
        HtmlReport.verdictTable(html, verdict);
        html.append("<h2>Which dialer owned which campaign group</h2>");
        chart(html, run);
        html.append("<table><tr><th class=l>campaign group</th><th class=l>owner</th><th>fencing token</th><th>from (s)</th>")
                .append("<th>until (s)</th></tr>");
        for (Ownership stretch : timeline(run)) {
            html.append("<tr><td class=l>").append(HtmlReport.escape(stretch.group())).append("</td><td class=l>")
                    .append(HtmlReport.escape(stretch.dialer())).append("</td><td>").append(stretch.token()).append("</td><td>")
                    .append(stretch.from() == 0 ? "start" : String.format(Locale.ROOT, "%.3f", stretch.from() / 1e9)).append("</td><td>")
                    .append(stretch.to() == Long.MAX_VALUE ? "end" : String.format(Locale.ROOT, "%.3f", stretch.to() / 1e9))
                    .append("</td></tr>");
        }
        html.append("</table><h2>Requests per dialer</h2><table><tr><th class=l>dialer</th><th>issued</th><th>dialed</th>")
                .append("<th>held NOT_OWNER</th><th>held other</th><th>failed</th><th>fenced by the cluster</th></tr>");
        for (String dialer : run.dialers()) {
            long[] counts = counts(run, dialer);
            html.append("<tr><td class=l>").append(HtmlReport.escape(dialer)).append("</td>");
            for (long count : counts) {
                html.append("<td>").append(count).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table><h2>Kills and take-over times</h2><table><tr><th class=l>fault</th><th class=l>dialer killed</th>")
                .append("<th>at (s)</th><th class=l>group</th><th class=l>taken over by</th><th>take-over (s)</th></tr>");
        for (DialersResult.Kill kill : run.kills()) {
            List<DialersResult.TakeOver> moved = run.takeOvers().stream().filter(takeOver -> takeOver.kill() == kill).toList();
            String head = "<tr><td class=l>" + HtmlReport.escape(kill.fault().text()) + "</td><td class=l>"
                    + HtmlReport.escape(kill.refusal() != null ? "not applied: " + kill.refusal() : kill.dialer()) + "</td><td>"
                    + String.format(Locale.ROOT, "%.3f", kill.nanos() / 1e9) + "</td>";
            if (moved.isEmpty()) {
                html.append(head).append("<td class=l>—</td><td class=l>—</td><td>—</td></tr>");
            }
            for (DialersResult.TakeOver takeOver : moved) {
                html.append(head).append("<td class=l>").append(HtmlReport.escape(takeOver.group())).append("</td><td class=l>")
                        .append(takeOver.nanos() < 0 ? "nobody" : HtmlReport.escape(takeOver.by())).append("</td><td>")
                        .append(takeOver.nanos() < 0 ? "—" : String.format(Locale.ROOT, "%.3f", takeOver.nanos() / 1e9)).append("</td></tr>");
            }
        }
        html.append("</table><p class=note>Take-over time: from the kill (its link to ZooKeeper severed) until another dialer was")
                .append(" issued the first request of the group that it dialed.</p></body></html>");
        return html.toString();
    }

    /** An SVG bar per campaign group, a coloured stretch per owner, a red line per kill. */
    private static void chart(StringBuilder html, DialersResult run) {
        List<String> groups = run.config().campaignGroups().stream().map(CampaignGroup::name).toList();
        int left = 130;
        int width = 760;
        int row = 26;
        int height = groups.size() * row + 40;
        double duration = Math.max(1, run.durationNanos());
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 20).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"ownership of each campaign group over time\" font-size=\"12\">");
        List<Ownership> timeline = timeline(run);
        for (int g = 0; g < groups.size(); g++) {
            int y = 10 + g * row;
            html.append("<text x=\"0\" y=\"").append(y + 15).append("\">").append(HtmlReport.escape(groups.get(g))).append("</text>");
            for (Ownership stretch : timeline) {
                if (!stretch.group().equals(groups.get(g))) {
                    continue;
                }
                double from = left + width * Math.min(1, stretch.from() / duration);
                double to = left + width * (stretch.to() == Long.MAX_VALUE ? 1 : Math.min(1, stretch.to() / duration));
                html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s: %s, token %d, %s (s)</title></rect>", from, y, Math.max(1, to - from), row - 6,
                        COLOURS[Math.max(0, run.dialers().indexOf(stretch.dialer())) % COLOURS.length],
                        HtmlReport.escape(stretch.group()), HtmlReport.escape(stretch.dialer()), stretch.token(), span(stretch)));
            }
        }
        for (DialersResult.Kill kill : run.kills()) {
            if (kill.refusal() == null) {
                double x = left + width * Math.min(1, kill.nanos() / duration);
                html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"%d\" stroke=\"#c62828\" stroke-width=\"2\">"
                        + "<title>%s</title></line>", x, x, height - 26, HtmlReport.escape(kill.fault().text())));
            }
        }
        int x = left;
        for (int d = 0; d < run.dialers().size(); d++) {
            html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                    x, height - 18, COLOURS[d % COLOURS.length], x + 16, height - 8, HtmlReport.escape(run.dialers().get(d))));
            x += 30 + 8 * run.dialers().get(d).length();
        }
        html.append("</svg><p class=note>Time runs left to right over the workload (")
                .append(OwnershipVerdict.seconds(run.durationNanos())).append("); red lines: kills. A gap is a group no dialer owned:")
                .append(" its requests were held NOT_OWNER by every dialer.</p>");
    }
}
