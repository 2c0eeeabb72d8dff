package org.mlsbridge.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.mlsbridge.bridge.manager.Counters;
import org.mlsbridge.bridge.manager.DropReason;

/** Reads the sources at each scrape and turns them into Prometheus metrics (names in docs/operations.md). */
final class CountersCollector implements MultiCollector {
    static final String SOURCE = "source";

    private final List<MetricsSource> sources;

    CountersCollector(List<MetricsSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public MetricSnapshots collect() {
        return MetricSnapshots.of(
                counter("mlsbridge_messages_in", "Application messages decrypted and handed to the user",
                        s -> s.counters().messagesIn()),
                counter("mlsbridge_messages_out", "Application messages encrypted and queued for sending",
                        s -> s.counters().messagesOut()),
                counter("mlsbridge_messages_relayed", "MLS messages relayed from one room into another",
                        MetricsSource::messagesRelayed),
                counter("mlsbridge_handshakes_sequenced", "Handshake messages posted into both rooms of a bridged pair",
                        MetricsSource::handshakesSequenced),
                counter("mlsbridge_welcomes_forwarded", "Welcomes carried to a joiner on the other network",
                        MetricsSource::welcomesForwarded),
                counter("mlsbridge_relay_refused", "Room messages the bridge refused to relay",
                        MetricsSource::relayRefused),
                counter("mlsbridge_decryption_failures", "Messages of a kept epoch that failed to decrypt",
                        s -> s.counters().decryptionFailures()),
                counter("mlsbridge_rejected_commits", "Commits refused by a check", s -> s.counters().rejectedCommits()),
                counter("mlsbridge_discarded_commits", "Commits that lost their epoch to an earlier one",
                        s -> s.counters().discardedCommits()),
                counter("mlsbridge_epoch_changes", "Epochs entered", s -> s.counters().epochChanges()),
                counter("mlsbridge_rejoins", "Re-joins by external commit", s -> s.counters().rejoins()),
                counter("mlsbridge_errors", "Failures of the loop (network, store)", MetricsSource::errors),
                counter("mlsbridge_plain_ignored", "Room messages without MLS left alone (read from the group instead)",
                        s -> s.counters().plainMessagesIgnored()),
                counter("mlsbridge_gatewayed_into_group",
                        "Member-mode bot: texts of users without MLS encrypted into the group",
                        s -> s.counters().gatewayedIntoGroup()),
                counter("mlsbridge_gatewayed_to_rooms",
                        "Member-mode bot: plain posts for users without MLS", s -> s.counters().gatewayedToRooms()),
                drops(),
                roomGauge("mlsbridge_room_epoch", "The room's MLS epoch", true),
                roomGauge("mlsbridge_room_members", "Members of the room's MLS group", false),
                keyPackages(),
                keyPackagesByNetwork());
    }

    private CounterSnapshot counter(String name, String help, ToLongFunction<MetricsSource> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (MetricsSource s : sources) {
            b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(SOURCE, s.name()))
                    .value(value.applyAsLong(s)).build());
        }
        return b.build();
    }

    /** Every reason for every source, zeros included, so a rate over any reason is defined from the start. */
    private CounterSnapshot drops() {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("mlsbridge_dropped")
                .help("Refused network input (messages, commits, Welcomes, GroupInfos) by reason");
        for (MetricsSource s : sources) {
            Counters c = s.counters();
            for (DropReason r : DropReason.values()) {
                b.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of(SOURCE, s.name(), "reason", r.name().toLowerCase(Locale.ROOT)))
                        .value(c.dropped(r)).build());
            }
        }
        return b.build();
    }

    private GaugeSnapshot roomGauge(String name, String help, boolean epoch) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (MetricsSource s : sources) {
            for (MetricsSource.RoomStatus r : s.rooms()) {
                b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(SOURCE, s.name(), "room", r.room()))
                        .value(epoch ? r.epoch() : r.members()).build());
            }
        }
        return b.build();
    }

    private GaugeSnapshot keyPackages() {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("mlsbridge_key_packages_available")
                .help("One-time KeyPackages published and not yet claimed");
        for (MetricsSource s : sources) {
            s.keyPackagesAvailable().ifPresent(n -> b.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of(SOURCE, s.name())).value(n).build()));
        }
        return b.build();
    }

    private GaugeSnapshot keyPackagesByNetwork() {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("mlsbridge_bridge_key_packages_available")
                .help("One-time KeyPackages of the bridge's account unclaimed on each network's server");
        for (MetricsSource s : sources) {
            s.keyPackagesByNetwork().forEach((network, n) -> b.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of(SOURCE, s.name(), "network", network)).value(n).build()));
        }
        return b.build();
    }
}
