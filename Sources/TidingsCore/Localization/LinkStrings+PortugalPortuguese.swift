extension LinkStrings {
    public static let portugalPortuguese = LinkStrings(
        locale: .ptPT,
        muteDeal: "Silenciar este negócio",
        changeCadence: "Alterar a frequência",
        unsubscribe: "Anular a subscrição dos resumos",
        muteTitle: "Silenciar este negócio?",
        muteQuestion: "Deixará de receber resumos sobre {deal}.",
        muteButton: "Silenciar este negócio",
        unmuteTitle: "Voltar a receber este negócio?",
        unmuteQuestion: "Voltará a receber resumos sobre {deal}.",
        unmuteButton: "Voltar a receber",
        cadenceTitle: "Com que frequência quer receber resumos?",
        cadenceQuestion: "Escolha com que frequência recebe os resumos dos seus negócios.",
        cadenceButton: "Guardar",
        cadenceRestoreQuestion: "Repor a frequência dos resumos: {cadence}.",
        unsubscribeTitle: "Anular a subscrição dos resumos?",
        unsubscribeQuestion: "Deixará de receber por email os resumos dos seus negócios.",
        unsubscribeButton: "Anular a subscrição",
        doneTitle: "Feito",
        mutedDone: "{deal} foi silenciado.",
        unmutedDone: "{deal} já não está silenciado.",
        cadenceDone: "Os seus resumos passam a ser: {cadence}.",
        unsubscribedDone: "A sua subscrição dos resumos foi anulada.",
        undoButton: "Anular",
        cadenceNames: [
            "immediate": "À medida que acontece", "hourly": "De hora a hora", "daily": "Diários", "weekly": "Semanais",
            "off": "Desligados", "default": "A predefinição",
        ],
        invalidTitle: "Ligação inválida",
        invalidText: "Esta ligação não é válida ou expirou. Use as ligações do seu resumo mais recente.",
        thisDeal: "Este negócio"
    )
}
