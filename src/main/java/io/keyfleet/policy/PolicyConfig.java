package io.keyfleet.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may log in where: {@code keyfleet.policies.NAME.*}. A policy matches an instance when every
 * criterion it sets matches (any listed value will do); an unset criterion matches everything.
 * Every matching policy contributes its grants; an instance that no policy matches admits nobody.
 */
@ConfigMapping(prefix = "keyfleet.policies")
public interface PolicyConfig {

    @WithParentName
    Map<String, Policy> policies();

    interface Policy {

        /** AWS account ids (12 digits) whose instances match. */
        Optional<Set<String>> accounts();

        /** Regions, e.g. {@code eu-west-1}. */
        Optional<Set<String>> regions();

        /** AMI ids the instance was launched from. */
        Optional<Set<String>> amis();

        /** Instance ids, for one-off grants. */
        Optional<Set<String>> instanceIds();

        /**
         * Tags the instance must carry, each with one of the listed values ({@code *}: any value):
         * {@code keyfleet.policies.web.tags.Team=platform,sre}. Needs EC2 DescribeInstances.
         */
        Map<String, List<String>> tags();

        /** IAM groups whose members may log in. */
        Set<String> groups();

        /** IAM groups whose members may log in and get sudo. */
        Optional<Set<String>> sudoGroups();

        /** Local Linux groups that every user admitted by this policy is added to (docker, adm…). */
        Optional<Set<String>> localGroups();
    }
}
