import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite(.tags(.pure))
struct AclRulesTests {
    let alice = KafkaPrincipal(name: "alice")
    let bob = KafkaPrincipal(name: "bob")

    func binding(
        _ name: String, _ operation: AclOperation, _ permission: AclPermission = .allow, type resourceType: AclResourceType = .topic,
        pattern patternType: AclPatternType = .literal, principal: String = "User:alice", host: String = "*"
    ) -> AclBinding {
        AclBinding(
            pattern: ResourcePattern(resourceType: resourceType, name: name, patternType: patternType),
            entry: AccessControlEntry(principal: principal, host: host, operation: operation, permission: permission))
    }

    func acls(_ bindings: AclBinding..., superUsers: Set<String> = [], allowEveryone: Bool = false) -> AclRules {
        AclRules(bindings: Set(bindings), superUsers: superUsers, allowEveryoneIfNoAclFound: allowEveryone)
    }

    func may(
        _ rules: AclRules, _ principal: KafkaPrincipal, _ operation: AclOperation, _ name: String,
        type resourceType: AclResourceType = .topic, host: String = "127.0.0.1"
    ) -> Bool {
        rules.authorize(principal, host: host, operation: operation, resourceType: resourceType, resourceName: name)
    }

    @Test func withoutAnyAclEverythingIsDeniedUnlessAllowEveryoneIsOn() {
        #expect(!may(acls(), alice, .read, "orders"))
        #expect(may(acls(allowEveryone: true), alice, .read, "orders"))
    }

    @Test func allowEveryoneAppliesOnlyToResourcesNoAclNames() {
        let rules = acls(binding("orders", .read, principal: "User:bob"), allowEveryone: true)
        #expect(!may(rules, alice, .read, "orders"))
        #expect(may(rules, bob, .read, "orders"))
        #expect(may(rules, alice, .read, "payments"))
    }

    @Test func anAllowGrantsItsOperationOnItsResourceOnly() {
        let rules = acls(binding("orders", .read))
        #expect(may(rules, alice, .read, "orders"))
        #expect(!may(rules, alice, .write, "orders"))
        #expect(!may(rules, alice, .read, "orders2"))
        #expect(!may(rules, bob, .read, "orders"))
        #expect(!may(rules, alice, .read, "orders", type: .group))
    }

    @Test(arguments: [AclOperation.read, .write, .delete, .alter])
    func readWriteDeleteAndAlterImplyDescribe(operation: AclOperation) {
        let rules = acls(binding("orders", operation))
        #expect(may(rules, alice, .describe, "orders"))
        #expect(!may(rules, alice, .describeConfigs, "orders"))
    }

    @Test func alterConfigsImpliesDescribeConfigsAndNothingElse() {
        let rules = acls(binding("orders", .alterConfigs))
        #expect(may(rules, alice, .describeConfigs, "orders"))
        #expect(!may(rules, alice, .describe, "orders"))
        #expect(!may(rules, alice, .alter, "orders"))
    }

    @Test func createAndDescribeImplyNothing() {
        let rules = acls(binding("orders", .create), binding("orders", .describe))
        #expect(!may(rules, alice, .read, "orders"))
        #expect(!may(rules, alice, .describeConfigs, "orders"))
    }

    @Test func allAllowsEveryOperation() {
        let rules = acls(binding("orders", .all))
        for operation in AclResourceType.topic.supportedOperations {
            #expect(may(rules, alice, operation, "orders"))
        }
    }

    @Test func denyWinsOverAllow() {
        let rules = acls(binding("orders", .read), binding("orders", .read, .deny))
        #expect(!may(rules, alice, .read, "orders"))
    }

    @Test func denyOfAllWinsOverEveryAllow() {
        let rules = acls(binding("orders", .all), binding("orders", .all, .deny, principal: "User:*"))
        #expect(!may(rules, alice, .write, "orders"))
        #expect(!may(rules, alice, .describe, "orders"))
    }

    @Test func aDenyDoesNotSpreadToImpliedOperations() {
        let rules = acls(binding("orders", .all), binding("orders", .read, .deny))
        #expect(!may(rules, alice, .read, "orders"))
        #expect(may(rules, alice, .describe, "orders"))
        #expect(may(rules, alice, .write, "orders"))
    }

    @Test func aWildcardPrincipalCoversEveryUser() {
        let rules = acls(binding("orders", .read, principal: "User:*"))
        #expect(may(rules, alice, .read, "orders"))
        #expect(may(rules, .anonymous, .read, "orders"))
        #expect(!may(rules, KafkaPrincipal(type: "Group", name: "ops"), .read, "orders"))
    }

    @Test func aHostRestrictsWhereFrom() {
        let rules = acls(binding("orders", .read, host: "10.0.0.5"))
        #expect(may(rules, alice, .read, "orders", host: "10.0.0.5"))
        #expect(!may(rules, alice, .read, "orders", host: "127.0.0.1"))
    }

    @Test func aDenyFromOneHostLeavesOtherHostsAllowed() {
        let rules = acls(binding("orders", .read), binding("orders", .read, .deny, host: "10.0.0.5"))
        #expect(!may(rules, alice, .read, "orders", host: "10.0.0.5"))
        #expect(may(rules, alice, .read, "orders", host: "127.0.0.1"))
    }

    @Test func theLiteralWildcardNameCoversEveryResourceOfItsType() {
        let rules = acls(binding("*", .write))
        #expect(may(rules, alice, .write, "anything"))
        #expect(!may(rules, alice, .write, "anything", type: .group))
    }

    @Test func aPrefixedPatternCoversNamesStartingWithIt() {
        let rules = acls(binding("orders.", .read, pattern: .prefixed))
        #expect(may(rules, alice, .read, "orders.eu"))
        #expect(may(rules, alice, .read, "orders."))
        #expect(!may(rules, alice, .read, "orders"))
        #expect(!may(rules, alice, .read, "payments.orders.eu"))
    }

    @Test func aPrefixedDenyOverridesALiteralAllowItCovers() {
        let rules = acls(binding("orders.eu", .read), binding("orders.", .read, .deny, pattern: .prefixed))
        #expect(!may(rules, alice, .read, "orders.eu"))
    }

    @Test func aLiteralDenyOverridesAPrefixedAllowForThatNameOnly() {
        let rules = acls(binding("orders.", .read, pattern: .prefixed), binding("orders.secret", .read, .deny))
        #expect(!may(rules, alice, .read, "orders.secret"))
        #expect(may(rules, alice, .read, "orders.eu"))
    }

    @Test func superUsersBypassEveryAclIncludingDeny() {
        let rules = acls(binding("orders", .all, .deny, principal: "User:*"), superUsers: ["User:admin"])
        #expect(may(rules, KafkaPrincipal(name: "admin"), .write, "orders"))
        #expect(may(rules, KafkaPrincipal(name: "admin"), .alter, "kafka-cluster", type: .cluster))
        #expect(!may(rules, alice, .write, "orders"))
    }

    @Test func writeOnAnyTopicCountsForAnIdempotentProducer() {
        let rules = acls(binding("orders", .write))
        #expect(rules.authorizeAnyResource(alice, host: "127.0.0.1", operation: .write, resourceType: .topic))
        #expect(!rules.authorizeAnyResource(bob, host: "127.0.0.1", operation: .write, resourceType: .topic))
    }

    @Test func aCoveringDenyCancelsTheOnlyTopicWrite() {
        let denied = acls(binding("orders", .write), binding("*", .write, .deny))
        #expect(!denied.authorizeAnyResource(alice, host: "127.0.0.1", operation: .write, resourceType: .topic))
        let deniedByPrefix = acls(binding("orders.eu", .write), binding("orders.", .write, .deny, pattern: .prefixed))
        #expect(!deniedByPrefix.authorizeAnyResource(alice, host: "127.0.0.1", operation: .write, resourceType: .topic))
        let partlyDenied = acls(binding("orders.", .write, pattern: .prefixed), binding("orders.secret", .write, .deny))
        #expect(partlyDenied.authorizeAnyResource(alice, host: "127.0.0.1", operation: .write, resourceType: .topic))
    }

    @Test func authorizedOperationsArePerPrincipalAndIncludeImpliedOnes() {
        let rules = acls(binding("orders", .read), binding("orders", .all, principal: "User:bob"))
        #expect(rules.authorizedOperations(alice, host: "127.0.0.1", resourceType: .topic, resourceName: "orders") == [.read, .describe])
        #expect(
            rules.authorizedOperations(bob, host: "127.0.0.1", resourceType: .topic, resourceName: "orders")
                == AclResourceType.topic.supportedOperations)
        #expect(rules.authorizedOperations(alice, host: "127.0.0.1", resourceType: .topic, resourceName: "other").isEmpty)
    }

    @Test func addingTwiceKeepsOneBindingAndRemovalReturnsWhatWent() {
        var rules = acls()
        #expect(rules.add([binding("orders", .read)]).count == 1)
        #expect(rules.add([binding("orders", .read)]).isEmpty)
        #expect(rules.remove(matching: AclBindingFilter(resourceName: "orders")) == [binding("orders", .read)])
        #expect(rules.bindings.isEmpty)
    }
}

@Suite(.tags(.pure))
struct AclBindingFilterTests {
    let literal = AclBinding(
        pattern: ResourcePattern(resourceType: .topic, name: "orders.eu"),
        entry: AccessControlEntry(principal: "User:alice", operation: .read, permission: .allow))
    let wildcard = AclBinding(
        pattern: ResourcePattern(resourceType: .topic, name: "*"),
        entry: AccessControlEntry(principal: "User:bob", host: "10.0.0.5", operation: .write, permission: .deny))
    let prefixed = AclBinding(
        pattern: ResourcePattern(resourceType: .topic, name: "orders.", patternType: .prefixed),
        entry: AccessControlEntry(principal: "User:alice", operation: .all, permission: .allow))
    let group = AclBinding(
        pattern: ResourcePattern(resourceType: .group, name: "orders.eu"),
        entry: AccessControlEntry(principal: "User:alice", operation: .read, permission: .allow))

    var all: [AclBinding] { [literal, wildcard, prefixed, group] }

    func selected(_ filter: AclBindingFilter) -> [AclBinding] {
        all.filter(filter.matches)
    }

    @Test func anyMatchesEverything() {
        #expect(selected(.any) == all)
    }

    @Test func anyPatternTypeWithANameMatchesThatExactNameOfEveryPatternType() {
        #expect(selected(AclBindingFilter(resourceName: "orders.eu")) == [literal, group])
        #expect(selected(AclBindingFilter(resourceName: "orders.")) == [prefixed])
    }

    @Test func matchSelectsEveryBindingThatAppliesToTheNamedResource() {
        #expect(
            selected(AclBindingFilter(resourceType: .topic, resourceName: "orders.eu", patternType: .match)) == [
                literal, wildcard, prefixed,
            ])
        #expect(selected(AclBindingFilter(resourceType: .topic, resourceName: "payments", patternType: .match)) == [wildcard])
    }

    @Test func literalAndPrefixedSelectTheirPatternTypeOnly() {
        #expect(selected(AclBindingFilter(resourceType: .topic, patternType: .literal)) == [literal, wildcard])
        #expect(selected(AclBindingFilter(patternType: .prefixed)) == [prefixed])
    }

    @Test func entryFieldsAreComparedExactly() {
        #expect(selected(AclBindingFilter(principal: "User:bob")) == [wildcard])
        #expect(selected(AclBindingFilter(principal: "User:*")).isEmpty)
        #expect(selected(AclBindingFilter(host: "10.0.0.5")) == [wildcard])
        #expect(selected(AclBindingFilter(operation: .all)) == [prefixed])
        #expect(selected(AclBindingFilter(permission: .deny)) == [wildcard])
        #expect(selected(AclBindingFilter(resourceType: .group, operation: .read)) == [group])
    }

    @Test func wireCodesOfOneMeanAny() throws {
        let filter = try AclBindingFilter(
            resourceTypeCode: 1, resourceName: nil, patternTypeCode: 1, principal: nil, host: nil, operationCode: 1, permissionCode: 1)
        #expect(filter == .any)
    }

    @Test(arguments: [
        (Int8(0), Int8(3), Int8(1), Int8(1)), (2, 0, 1, 1), (2, 3, 0, 1), (2, 3, 1, 0), (9, 3, 1, 1), (2, 7, 1, 1), (2, 3, 15, 1),
        (2, 3, 1, 4),
    ])
    func unknownWireCodesAreRefused(codes: (Int8, Int8, Int8, Int8)) {
        #expect(throws: AclRequestError.self) {
            try AclBindingFilter(
                resourceTypeCode: codes.0, resourceName: nil, patternTypeCode: codes.1, principal: nil, host: nil,
                operationCode: codes.2, permissionCode: codes.3)
        }
    }

    @Test func aBindingToCreateNeedsConcreteCodesANameAndAPrincipal() throws {
        let valid = try AclBinding(
            resourceTypeCode: 2, resourceName: "orders", patternTypeCode: 4, principal: "User:alice", host: "*", operationCode: 3,
            permissionCode: 3)
        #expect(valid.pattern == ResourcePattern(resourceType: .topic, name: "orders", patternType: .prefixed))
        let refused: [(Int8, String, Int8, String, Int8, Int8)] = [
            (1, "orders", 3, "User:alice", 3, 3), (2, "orders", 1, "User:alice", 3, 3), (2, "orders", 2, "User:alice", 3, 3),
            (2, "orders", 3, "User:alice", 1, 3), (2, "orders", 3, "User:alice", 3, 1), (2, "", 3, "User:alice", 3, 3),
            (2, "orders", 3, "alice", 3, 3), (4, "orders", 3, "User:alice", 8, 3), (3, "g", 3, "User:alice", 4, 3),
        ]
        for (type, name, pattern, principal, operation, permission) in refused {
            #expect(throws: AclRequestError.self) {
                try AclBinding(
                    resourceTypeCode: type, resourceName: name, patternTypeCode: pattern, principal: principal, host: "*",
                    operationCode: operation, permissionCode: permission)
            }
        }
    }
}
