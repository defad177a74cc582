/**
 * Small runnable programs, one per use of the library: {@link dev.portmanager.examples.HttpApp} gets its port at
 * startup and serves HTTP on it. The {@code portman} CLI is in {@link dev.portmanager.examples.cli}.
 */
package dev.portmanager.examples;
