package dev.alexnet.serve;

/** A claim (room in the memory budget, a place in a batch) that is given back when closed. */
interface Ticket extends AutoCloseable {

    /** Gives the claim back; closing twice gives it back once. */
    @Override
    void close();

    /** A ticket that holds nothing. */
    Ticket NONE = () -> { };
}
