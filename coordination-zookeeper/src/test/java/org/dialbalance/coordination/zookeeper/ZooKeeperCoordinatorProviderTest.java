package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.CoordinatorProvider;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.harness.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** ServiceLoader finds {@code zookeeper}; it is created without connecting; the assignment is the same everywhere. */
class ZooKeeperCoordinatorProviderTest {

    @Test
    void serviceLoaderFindsItAndCreatingConnectsNowhere() {
        CoordinatorProvider provider = ServiceLoader.load(CoordinatorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(found -> found.name().equals("zookeeper")).findFirst().orElseThrow();
        ConfigResult<Coordinator> created = provider.create(new CoordinationSettings("dialer", List.of("Sales"),
                Map.of("connect-string", "127.0.0.1:1")));
        assertThat(created).isInstanceOf(ConfigResult.Valid.class);
        try (Coordinator coordinator = ((ConfigResult.Valid<Coordinator>) created).value()) {
            assertThat(coordinator.fencingToken("Sales")).isEqualTo(GroupOwnership.NOT_OWNER);
            assertThat(coordinator.status().connected()).isFalse();
            assertThat(coordinator.status().dialerId()).startsWith("dialer-");
            assertThat(coordinator.notOwnerDetail("Sales")).contains("not started");
        }
    }

    @Test
    void theAssignmentSpreadsGroupsHonoursPreferencesAndMovesOnlyALeaversGroups() {
        List<String> groups = List.of("A", "B", "C", "D", "E", "F", "G", "H");
        Map<String, String> three = ZooKeeperCoordinator.assignment(groups, Map.of("x", Set.of(), "y", Set.of(), "z", Set.of("H")));
        assertThat(three.get("H")).isEqualTo("z");
        assertThat(Set.copyOf(three.values())).as("spread over the dialers").hasSizeGreaterThan(1);
        Map<String, String> two = ZooKeeperCoordinator.assignment(groups, Map.of("x", Set.of(), "y", Set.of()));
        three.forEach((group, owner) -> {
            if (!owner.equals("z")) {
                assertThat(two.get(group)).as("group %s stays with %s when z leaves", group, owner).isEqualTo(owner);
            }
        });
        assertThat(ZooKeeperCoordinator.assignment(groups, Map.of())).isEmpty();
    }

    @Test
    void groupNamesBecomeSafeZnodeNames() {
        assertThat(ZooKeeperCoordinator.znodeName("..")).isEqualTo("%2E%2E");
        assertThat(ZooKeeperCoordinator.znodeName("Sales/North West")).isEqualTo("Sales%2FNorth+West");
    }

    @Test
    void theModuleDependsOnTheApiCuratorZooKeeperAndSlf4jOnly() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.dialbalance.coordination");
        assertThat(classes).isNotEmpty();
        ArchitectureRules.pluginDependsOnApiOnly("org.dialbalance.coordination..", "org.apache.curator..", "org.apache.zookeeper..",
                "org.slf4j..").check(classes);
        ArchitectureRules.LOGGERS_ARE_PRIVATE_STATIC_FINAL.check(classes);
        ArchitectureRules.NO_STANDARD_STREAMS_IN_LIBRARIES.check(classes);
    }
}
