package org.jceph.rados;

/** Cluster capacity as librados' rados_cluster_stat: KiB totals and the object count. */
public record ClusterStat(long kb, long kbUsed, long kbAvail, long numObjects) {
}
