/**
 * {@code portman}: the command line tool over the Port Manager library, the first program embedding the jar. Run
 * {@code portman --help}; every command takes {@code --json} and {@code --store URI}.
 */
package dev.portmanager.cli;
