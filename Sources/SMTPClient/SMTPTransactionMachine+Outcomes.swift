extension SMTPTransactionMachine {
    /// The connection broke (the peer closed it, a read or write failed, a timeout or a
    /// shutdown stopped it) with libcurl's code and text from `curl_easy_recv`/`curl_easy_send`.
    /// The session is over; a message whose data had gone out has an unknown outcome.
    public mutating func connectionLost(curlCode: Int, curlMessage: String) -> Action {
        let stage: SMTPError.Stage
        switch state {
        case .transaction(let transaction):
            var lost = failure(stage: transaction.stage, reply: nil, transaction: transaction)
            lost.curlCode = curlCode
            lost.curlMessage = curlMessage
            return transactionFailed(transaction, sessionEnds: true, error: SMTPError.classify(lost))
        case .awaitingEHLO: stage = .greeting
        case .resetting: stage = .mailFrom
        case .idle, .closed: stage = .closed
        }
        var lost = failure(stage: stage, reply: nil)
        lost.curlCode = curlCode
        lost.curlMessage = curlMessage
        return endSession(SMTPError.classify(lost))
    }

    /// The server took the message for the accepted recipients of `transaction`.
    mutating func transactionDelivered(_ transaction: Transaction, finalReply: SMTPReply) -> Action {
        guard var flight = inFlight else { preconditionFailure("a transaction without a message") }
        flight.batches.delivered(transaction.recipientOutcomes)
        flight.finalReply = finalReply
        inFlight = flight
        return nextTransactionOrOutcome()
    }

    /// `transaction` failed (its `failure` says where, or `error` when the connection broke).
    /// Recorded in the message's batches; then RSET when the server still holds the
    /// transaction, so the connection is clean for what follows, or the end of the session.
    mutating func transactionFailed(_ transaction: Transaction, needsReset: Bool = true, sessionEnds: Bool = false,
                                    error: SMTPError? = nil) -> Action {
        guard var flight = inFlight else { preconditionFailure("a transaction without a message") }
        let error = error ?? SMTPError.classify(failure(stage: transaction.failure?.stage ?? transaction.stage,
                                                        reply: transaction.failure?.reply, transaction: transaction))
        flight.batches.failed(transaction.recipients, error: error)
        inFlight = flight
        if sessionEnds { return endSession(error) }
        guard needsReset else { return nextTransactionOrOutcome() }
        state = .resetting
        return .write(SMTPEnvelopeCommands.reset)
    }

    /// Closes the session for `reason`; the message in flight, if any, ends with what its
    /// batches hold (recipients not yet reached carry `reason`).
    mutating func endSession(_ reason: SMTPError) -> Action {
        state = .closed
        // A message begun behind the data got no reply: nothing of it reached the server's
        // queue, so the caller's `send` of it finds the session closed and may try it again.
        prefetched = nil
        awaitingSendOfPrefetched = false
        guard var flight = inFlight else { return .closeConnection(message: nil, reason: reason) }
        inFlight = nil
        if flight.batches.hasRecipientsLeft {
            // Not a recipient refusal, whatever stage ended the session: the rest were not tried.
            var stop = reason
            if stop.stage == .recipients { stop.stage = .mailFrom }
            flight.batches.failed([], error: stop)
        }
        return .closeConnection(message: finish(flight), reason: reason)
    }

    /// The facts `SMTPError.classify` judges, as this machine saw them. `hasUsername` is whether
    /// libcurl authenticated: with credentials configured and no AUTH, the session is refused
    /// before it reaches the machine.
    func failure(stage: SMTPError.Stage, reply: SMTPReply?, transaction: Transaction? = nil) -> SMTPError.Failure {
        SMTPError.Failure(curlCode: nil, curlMessage: nil, stage: stage, reply: reply,
                          recipients: transaction?.recipientOutcomes ?? [],
                          messageStarted: transaction?.messageStarted ?? false,
                          hasUsername: session.authenticated, session: session,
                          messageSize: inFlight?.message.content.messageSize)
    }
}
