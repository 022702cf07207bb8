extension SMTPTransactionMachine {
    /// The server's next complete reply (see `SMTPReplyAssembler` for bytes as they are read).
    public mutating func replyReceived(_ reply: SMTPReply) -> Action {
        switch state {
        case .awaitingEHLO:
            guard reply.isPositive else {
                return endSession(SMTPError.classify(failure(stage: .greeting, reply: reply)))
            }
            session.learnExtensions(ehloText: reply.text)
            state = .idle
            return .ready
        case .idle, .closed:
            // A 421 while idle is the server closing an idle connection; anything else means the
            // replies are out of step with the commands, and no later reply could be trusted.
            var error = SMTPError(kind: .transient, stage: .greeting,
                                  summary: "the server sent a reply no command was waiting for", reply: reply)
            if reply.code == 421 { error.summary = "the server closed the idle connection" }
            return endSession(error)
        case .resetting:
            guard reply.isPositive else {
                return endSession(SMTPError(kind: .transient, stage: .mailFrom,
                                            summary: "the server refused RSET after a failed transaction", reply: reply))
            }
            return nextTransactionOrOutcome()
        case .transaction(var transaction):
            if reply.code == 421 {
                // The server is closing the connection: no reply to a command sent after this comes.
                transaction.failure = transaction.failure ?? (transaction.stage, reply)
                return transactionFailed(transaction, sessionEnds: true)
            }
            return advance(&transaction, with: reply)
        }
    }

    /// One reply within a transaction.
    private mutating func advance(_ transaction: inout Transaction, with reply: SMTPReply) -> Action {
        switch transaction.awaiting {
        case .mailFrom:
            if !reply.isPositive { transaction.failure = (.mailFrom, reply) }
            if transaction.pipelined {
                // The RCPT and DATA replies are on their way (refusals of commands without a
                // transaction, if MAIL failed): read them all before RSET.
                return awaitNext(.recipient(0), transaction)
            }
            if transaction.failure != nil { return transactionFailed(transaction) }
            return awaitNext(.recipient(0), transaction, writing: recipientLine(transaction, 0))
        case .recipient(let index):
            // After a refused MAIL the server answers the pipelined RCPTs with "need MAIL"
            // (503): replies about no transaction, not about the recipients, so not theirs.
            if transaction.failure?.stage != .mailFrom { transaction.recipientReplies[index] = reply }
            if transaction.pipelined {
                return awaitNext(index + 1 < transaction.recipients.count ? .recipient(index + 1) : .data, transaction)
            }
            if reply.isRecipientLimit && transaction.anyRecipientAccepted {
                // The server takes no more in this transaction: the rest would get the same
                // reply, so they are deferred with it unasked (SMTPRecipientBatches sends them
                // in the next transaction, never recording this reply as theirs).
                for later in (index + 1)..<transaction.recipients.count { transaction.recipientReplies[later] = reply }
            } else if index + 1 < transaction.recipients.count {
                return awaitNext(.recipient(index + 1), transaction, writing: recipientLine(transaction, index + 1))
            }
            guard transaction.anyRecipientAccepted else {
                transaction.failure = (.recipients, reply)
                return transactionFailed(transaction)
            }
            return awaitNext(.data, transaction, writing: SMTPEnvelopeCommands.data)
        case .data:
            return dataReplied(&transaction, reply)
        case .endOfData:
            guard reply.isPositive else {
                // The transaction ended with the refusal: no RSET needed.
                transaction.failure = (.afterData, reply)
                return transactionFailed(transaction, needsReset: false)
            }
            return transactionDelivered(transaction, finalReply: reply)
        case .emptyData:
            return transactionFailed(transaction, needsReset: false)
        }
    }

    /// DATA's reply: 354 lets the message go, unless the transaction is already doomed.
    private mutating func dataReplied(_ transaction: inout Transaction, _ reply: SMTPReply) -> Action {
        let lastRefusal = transaction.recipientReplies.last { !($0?.isPositive ?? true) } ?? nil
        if transaction.failure == nil && !transaction.anyRecipientAccepted, let lastRefusal {
            transaction.failure = (.recipients, lastRefusal)
        }
        guard reply.code == 354 else {
            transaction.failure = transaction.failure ?? (.data, reply)
            return transactionFailed(transaction)
        }
        guard transaction.failure == nil, let flight = inFlight else {
            // RFC 2920 3.1: a server may take DATA without a valid recipient; an empty data
            // section ends it without sending the message to nobody.
            return awaitNext(.emptyData, transaction, writing: Array(".\r\n".utf8))
        }
        transaction.messageStarted = true
        let nextCommands = prefetchUpcoming(after: transaction) ?? []
        _ = awaitNext(.endOfData, transaction)
        return .writeData(flight.message.content, then: nextCommands)
    }

    private mutating func awaitNext(_ awaiting: Awaiting, _ transaction: Transaction, writing bytes: [UInt8]? = nil) -> Action {
        var transaction = transaction
        transaction.awaiting = awaiting
        state = .transaction(transaction)
        return bytes.map(Action.write) ?? .read
    }

    private func recipientLine(_ transaction: Transaction, _ index: Int) -> [UInt8] {
        SMTPEnvelopeCommands.recipient(transaction.recipients[index], session: session)
    }
}
