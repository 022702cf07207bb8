extension LinkStrings {
    public static let brazilianPortuguese = LinkStrings(
        locale: .ptBR,
        muteDeal: "Silenciar este negócio",
        changeCadence: "Mudar a frequência",
        unsubscribe: "Cancelar a inscrição nos resumos",
        muteTitle: "Silenciar este negócio?",
        muteQuestion: "Você não vai mais receber resumos sobre {deal}.",
        muteButton: "Silenciar este negócio",
        unmuteTitle: "Voltar a receber este negócio?",
        unmuteQuestion: "Você vai voltar a receber resumos sobre {deal}.",
        unmuteButton: "Voltar a receber",
        cadenceTitle: "Com que frequência você quer receber resumos?",
        cadenceQuestion: "Escolha com que frequência você recebe os resumos dos seus negócios.",
        cadenceButton: "Salvar",
        cadenceRestoreQuestion: "Voltar a frequência dos resumos para: {cadence}.",
        unsubscribeTitle: "Cancelar a inscrição nos resumos?",
        unsubscribeQuestion: "Você não vai mais receber por e-mail os resumos dos seus negócios.",
        unsubscribeButton: "Cancelar a inscrição",
        doneTitle: "Pronto",
        mutedDone: "{deal} foi silenciado.",
        unmutedDone: "{deal} não está mais silenciado.",
        cadenceDone: "Seus resumos agora são: {cadence}.",
        unsubscribedDone: "Sua inscrição nos resumos foi cancelada.",
        undoButton: "Desfazer",
        cadenceNames: [
            "immediate": "Na hora", "hourly": "A cada hora", "daily": "Diários", "weekly": "Semanais",
            "off": "Desligados", "default": "O padrão",
        ],
        invalidTitle: "Link inválido",
        invalidText: "Este link não é válido ou expirou. Use os links do seu resumo mais recente.",
        thisDeal: "Este negócio"
    )
}
