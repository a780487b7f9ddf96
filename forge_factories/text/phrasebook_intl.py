"""Hand-written French, German and Spanish phrase banks for the offline text composer.

Slots: ``@n`` name, ``@f`` first name, ``@y`` years, ``@w`` field of work (with its article),
``@c`` city, ``@i`` / ``@j`` interests, ``@p`` the product (a name or "this product"),
``@d`` a number of days, ``@o`` an order number. Slots are filled by ``str.replace`` on
these constants only; user data is never used as a template.
"""

from __future__ import annotations

from typing import TypedDict


class Bank(TypedDict):
    """One language's phrase tables (every value a tuple of phrases)."""

    fields: tuple[str, ...]
    interests: tuple[str, ...]
    product: tuple[str, ...]
    bio_named: tuple[str, ...]
    bio_first: tuple[str, ...]
    bio_interest: tuple[str, ...]
    bio_interest_named: tuple[str, ...]
    bio_close: tuple[str, ...]
    review_pos: tuple[str, ...]
    review_pos_detail: tuple[str, ...]
    review_mix: tuple[str, ...]
    review_mix_detail: tuple[str, ...]
    review_neg: tuple[str, ...]
    review_neg_detail: tuple[str, ...]
    review_angry: tuple[str, ...]
    msg_greet: tuple[str, ...]
    msg_problem: tuple[str, ...]
    msg_request: tuple[str, ...]
    msg_angry: tuple[str, ...]
    msg_sign: tuple[str, ...]
    reply_open: tuple[str, ...]
    reply_body: tuple[str, ...]
    desc_open: tuple[str, ...]
    desc_detail: tuple[str, ...]
    generic: tuple[str, ...]
    short_pos: tuple[str, ...]
    short_mix: tuple[str, ...]
    short_neg: tuple[str, ...]
    short_generic: tuple[str, ...]


FR: Bank = {
    "fields": (
        "le développement logiciel", "la santé", "l'enseignement", "la restauration", "le marketing",
        "l'architecture", "la comptabilité", "le journalisme", "la logistique", "le design graphique",
        "la recherche scientifique", "les ressources humaines", "la photographie", "l'hôtellerie",
    ),
    "interests": (
        "la randonnée", "la photographie argentique", "la cuisine du marché", "les échecs", "le vélo",
        "le jardinage", "la lecture de romans policiers", "la natation", "le théâtre amateur",
        "la poterie", "les voyages en train", "le jazz", "l'escalade", "la pâtisserie",
    ),
    "product": ("ce produit", "cet article", "ma commande"),
    "bio_named": (
        "@n travaille depuis @y ans dans @w.", "@n a passé les @y dernières années dans @w, à @c.",
        "Après @y ans dans @w, @n reste curieux de tout.", "Basé à @c, @n travaille dans @w depuis @y ans.",
    ),
    "bio_first": (
        "Je travaille depuis @y ans dans @w.", "Bonjour, je m'appelle @f et je travaille dans @w à @c.",
        "Passionné par mon métier, j'ai @y ans d'expérience dans @w.",
        "J'habite à @c et je travaille dans @w depuis @y ans.",
    ),
    "bio_interest": (
        "En dehors du travail, j'aime @i et @j.", "Le week-end, c'est @i, @j et un bon livre.",
        "Mes passions : @i et @j.", "Côté loisirs, je partage mon temps entre @i et @j.",
    ),
    "bio_interest_named": (
        "En dehors du travail, @f aime @i et @j.", "Ses passions : @i et @j.",
        "Côté loisirs, @f partage son temps entre @i et @j.",
    ),
    "bio_close": (
        "Toujours partant pour un bon café et une belle discussion.", "J'adore apprendre de nouvelles choses.",
        "Ouvert aux nouvelles collaborations.", "Le travail bien fait est ma priorité.", "",
    ),
    "review_pos": (
        "J'adore @p, il est parfait.", "Très satisfait de @p.", "Franchement, @p dépasse mes attentes.",
        "Un excellent achat, je recommande @p.", "Je suis ravi de @p.",
    ),
    "review_pos_detail": (
        "La qualité est au rendez-vous et la livraison a été rapide.",
        "Je l'utilise tous les jours depuis @d jours sans le moindre souci.",
        "Très bon rapport qualité-prix.", "Le service client a répondu en moins d'une heure.",
        "Les finitions sont soignées et le design est très réussi.",
    ),
    "review_mix": (
        "@p est correct, sans plus.", "Un avis mitigé sur @p.", "Pas mal pour le prix, mais pas parfait.",
        "Je suis partagé au sujet de @p.",
    ),
    "review_mix_detail": (
        "La qualité est correcte, mais la notice est peu claire.",
        "Il fonctionne, mais l'installation a été plus compliquée que prévu.",
        "La livraison a pris du retard, mais le colis est arrivé intact.",
        "C'est pratique au quotidien, même si les finitions laissent à désirer.",
    ),
    "review_neg": (
        "Très déçu de @p.", "@p a cessé de fonctionner au bout de @d jours.", "Je ne recommande pas @p.",
        "Une vraie déception, je regrette cet achat.", "Ne perdez pas votre argent avec @p.",
    ),
    "review_neg_detail": (
        "La qualité est médiocre et le plastique fait bon marché.",
        "Le service client n'a jamais répondu à mes messages.",
        "Le colis est arrivé abîmé et il manquait une pièce.", "Il est bruyant, fragile et bien trop cher.",
    ),
    "review_angry": (
        "Je suis vraiment furieux.", "C'est tout simplement inacceptable.", "Quelle perte de temps et d'argent.",
    ),
    "msg_greet": ("Bonjour,", "Bonjour l'équipe,", "Madame, Monsieur,", ""),
    "msg_problem": (
        "Ma commande @o n'est toujours pas arrivée.", "J'ai été débité deux fois pour la commande @o.",
        "Je n'arrive pas à réinitialiser mon mot de passe.", "Il manque un article dans le colis de la commande @o.",
        "Le code de réduction n'a pas été appliqué à ma commande.", "L'application me déconnecte toutes les cinq minutes.",
        "La facture indique une mauvaise adresse de livraison.",
    ),
    "msg_request": (
        "Pourriez-vous vérifier, s'il vous plaît ?", "Merci de me tenir informé.",
        "Pouvez-vous me rembourser la différence ?", "Pourriez-vous m'envoyer un article de remplacement ?",
        "Quand puis-je espérer une réponse ?",
    ),
    "msg_angry": (
        "C'est la troisième fois que je vous écris.", "C'est inacceptable.", "J'attends une réponse aujourd'hui.",
    ),
    "msg_sign": ("Merci d'avance,", "Cordialement,", "Bien à vous,"),
    "reply_open": ("Merci pour votre message.", "Bonjour, merci de nous avoir contactés.", "Désolés pour ce désagrément."),
    "reply_body": (
        "Nous avons vérifié votre commande @o et le colis est en route.",
        "Le remboursement a été effectué ; il apparaîtra sous trois à cinq jours ouvrés.",
        "Nous vous envoyons un article de remplacement dès aujourd'hui.",
        "Votre demande a été transmise à notre équipe technique.", "Le code de réduction a été appliqué manuellement.",
    ),
    "desc_open": (
        "Découvrez @p, conçu pour le quotidien.", "@p allie un design élégant et des matériaux de qualité.",
        "Pratique et durable, @p est fait pour durer.", "Avec @p, simplifiez votre routine.",
    ),
    "desc_detail": (
        "Il est fabriqué à partir de matériaux recyclés.", "Facile à nettoyer et à ranger.",
        "Garantie de deux ans incluse.", "Livraison gratuite et retour sous trente jours.",
        "Idéal pour les petits espaces et les familles.", "Disponible en quatre coloris.",
    ),
    "generic": (
        "L'équipe a terminé la première phase avec un peu d'avance.", "Les retours des clients sont plutôt positifs.",
        "Nous avons ajusté le planning pour tenir compte des nouveaux délais.",
        "La prochaine étape est une réunion de suivi avec le client.",
        "Tout a été installé comme prévu et fonctionne correctement.",
        "Le document a été relu et validé par le responsable du projet.",
        "Quelques petites corrections restent à faire avant la mise en ligne.",
    ),
    "short_pos": ("Parfait.", "Très bien.", "Super.", "Excellent."),
    "short_mix": ("Correct.", "Moyen.", "Pas mal."),
    "short_neg": ("Déçu.", "Mauvais.", "À éviter."),
    "short_generic": ("Noté.", "Fait.", "Validé.", "Bien reçu."),
}

DE: Bank = {
    "fields": (
        "in der Softwareentwicklung", "in der Pflege", "in der Erwachsenenbildung", "in der Gastronomie",
        "im Marketing", "in der Architektur", "in der Buchhaltung", "im Journalismus", "in der Logistik",
        "im Grafikdesign", "in der Forschung", "in der Personalabteilung", "in der Fotografie", "in der Hotellerie",
    ),
    "interests": (
        "Wandern", "Fotografie", "Kochen mit Freunden", "Schach", "Radfahren", "Gärtnern",
        "Krimis", "Schwimmen", "Laientheater", "Töpfern", "Bahnreisen", "Jazz", "Klettern", "Backen",
    ),
    "product": ("das Produkt", "den Artikel", "meine Bestellung"),
    "bio_named": (
        "@n arbeitet seit @y Jahren @w.", "@n ist seit @y Jahren @w tätig und lebt in @c.",
        "Nach @y Jahren @w ist @n immer noch neugierig auf Neues.",
        "@n lebt in @c und arbeitet seit @y Jahren @w.",
    ),
    "bio_first": (
        "Ich arbeite seit @y Jahren @w.", "Hallo, ich bin @f und arbeite @w in @c.",
        "Nach @y Jahren @w liebe ich meinen Beruf immer noch.",
        "Ich lebe in @c und bin seit @y Jahren @w tätig.",
    ),
    "bio_interest": (
        "In meiner Freizeit mag ich @i und @j.", "Am Wochenende stehen @i und @j auf dem Programm.",
        "Meine Hobbys sind @i und @j.", "Zum Abschalten: @i und @j.",
    ),
    "bio_interest_named": (
        "In der Freizeit mag @f @i und @j.", "Am Wochenende stehen für @f @i und @j auf dem Programm.",
        "Zu den Hobbys von @f gehören @i und @j.",
    ),
    "bio_close": (
        "Immer offen für einen guten Kaffee und ein nettes Gespräch.", "Ich lerne gern jeden Tag etwas Neues.",
        "Offen für neue Projekte und Kooperationen.", "Gute Arbeit ist mir wichtig.", "",
    ),
    "review_pos": (
        "Ich liebe @p, es ist einfach super.", "Sehr zufrieden, @p hat meine Erwartungen übertroffen.",
        "Ehrlich gesagt ist @p der beste Kauf seit Langem.", "Klare Empfehlung, ich würde @p sofort wieder kaufen.",
        "Ich bin begeistert und kann @p nur empfehlen.",
    ),
    "review_pos_detail": (
        "Die Qualität ist top und die Lieferung war schnell.",
        "Ich benutze es seit @d Tagen täglich und es gab kein einziges Problem.",
        "Das Preis-Leistungs-Verhältnis ist sehr gut.", "Der Kundenservice hat innerhalb einer Stunde geantwortet.",
        "Die Verarbeitung ist sauber und das Design gefällt mir sehr.",
    ),
    "review_mix": (
        "Insgesamt ist @p in Ordnung, aber nicht perfekt.", "Gemischte Gefühle, was @p angeht.",
        "Für den Preis ganz okay, mehr aber nicht.", "Ich bin bei @p etwas hin- und hergerissen.",
    ),
    "review_mix_detail": (
        "Die Qualität ist okay, aber die Anleitung ist schlecht.",
        "Es funktioniert, aber die Einrichtung war komplizierter als nötig.",
        "Die Lieferung hat länger gedauert, aber alles kam heil an.",
        "Im Alltag praktisch, auch wenn die Verarbeitung nicht ganz überzeugt.",
    ),
    "review_neg": (
        "Ich bin sehr enttäuscht und würde @p nicht noch einmal kaufen.",
        "Leider hat @p nach @d Tagen den Geist aufgegeben.", "Ich kann @p nicht empfehlen.",
        "Eine echte Enttäuschung, ich bereue den Kauf.", "Spart euch das Geld und lasst @p im Regal.",
    ),
    "review_neg_detail": (
        "Die Qualität ist schlecht und das Material wirkt billig.",
        "Der Kundenservice hat auf meine Nachrichten nie reagiert.",
        "Das Paket kam beschädigt an und ein Teil fehlte.", "Es ist laut, wackelig und viel zu teuer.",
    ),
    "review_angry": (
        "Ich bin wirklich wütend.", "Das ist einfach nicht akzeptabel.", "Was für eine Verschwendung von Zeit und Geld.",
    ),
    "msg_greet": ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", ""),
    "msg_problem": (
        "Meine Bestellung @o ist immer noch nicht angekommen.", "Mir wurde die Bestellung @o zweimal berechnet.",
        "Ich kann mein Passwort nicht zurücksetzen.", "Im Paket der Bestellung @o fehlt ein Artikel.",
        "Der Rabattcode wurde bei meiner Bestellung nicht berücksichtigt.",
        "Die App meldet mich alle paar Minuten ab.", "Auf der Rechnung steht die falsche Lieferadresse.",
    ),
    "msg_request": (
        "Könnten Sie das bitte prüfen?", "Bitte halten Sie mich auf dem Laufenden.",
        "Können Sie mir die Differenz erstatten?", "Könnten Sie mir einen Ersatz schicken?",
        "Wann kann ich mit einer Antwort rechnen?",
    ),
    "msg_angry": (
        "Das ist bereits meine dritte Nachricht zu diesem Thema.", "Das ist nicht akzeptabel.",
        "Ich erwarte heute noch eine Antwort.",
    ),
    "msg_sign": ("Vielen Dank im Voraus,", "Mit freundlichen Grüßen,", "Viele Grüße,"),
    "reply_open": (
        "Vielen Dank für Ihre Nachricht.", "Danke, dass Sie sich bei uns gemeldet haben.",
        "Entschuldigen Sie bitte die Unannehmlichkeiten.",
    ),
    "reply_body": (
        "Wir haben Ihre Bestellung @o geprüft und das Paket ist unterwegs.",
        "Die Erstattung ist veranlasst und erscheint in drei bis fünf Werktagen.",
        "Wir schicken Ihnen noch heute einen Ersatzartikel.",
        "Ihre Anfrage wurde an unser technisches Team weitergeleitet.", "Der Rabattcode wurde manuell angewendet.",
    ),
    "desc_open": (
        "Entdecken Sie @p, gemacht für den Alltag.", "Hier trifft schlichtes Design auf hochwertige Materialien.",
        "Praktisch und langlebig: Das ist @p.", "Mit @p wird Ihr Alltag ein Stück einfacher.",
    ),
    "desc_detail": (
        "Es wird aus recycelten Materialien hergestellt.", "Leicht zu reinigen und platzsparend zu verstauen.",
        "Mit zwei Jahren Garantie.", "Kostenloser Versand und dreißig Tage Rückgaberecht.",
        "Ideal für kleine Wohnungen und Familien.", "Erhältlich in vier Farben.",
    ),
    "generic": (
        "Das Team hat die erste Phase etwas früher als geplant abgeschlossen.",
        "Die Rückmeldungen der Kunden sind überwiegend positiv.",
        "Wir haben den Zeitplan an die neuen Fristen angepasst.",
        "Als Nächstes steht ein Abstimmungstermin mit dem Kunden an.",
        "Alles wurde wie vereinbart eingerichtet und funktioniert.",
        "Das Dokument wurde von der Projektleitung geprüft und freigegeben.",
        "Vor dem Start sind noch ein paar kleine Korrekturen nötig.",
    ),
    "short_pos": ("Super.", "Sehr gut.", "Top.", "Klasse."),
    "short_mix": ("Okay.", "Geht so.", "Mittel."),
    "short_neg": ("Schlecht.", "Mangelhaft.", "Enttäuschend."),
    "short_generic": ("Erledigt.", "Notiert.", "Passt.", "Geprüft."),
}

ES: Bank = {
    "fields": (
        "el desarrollo de software", "la enfermería", "la enseñanza", "la hostelería", "el marketing",
        "la arquitectura", "la contabilidad", "el periodismo", "la logística", "el diseño gráfico",
        "la investigación", "los recursos humanos", "la fotografía", "el turismo",
    ),
    "interests": (
        "el senderismo", "la fotografía analógica", "cocinar para los amigos", "el ajedrez", "el ciclismo",
        "la jardinería", "las novelas policíacas", "la natación", "el teatro", "la cerámica",
        "viajar en tren", "el jazz", "la escalada", "la repostería",
    ),
    "product": ("este producto", "este artículo", "mi pedido"),
    "bio_named": (
        "@n trabaja en @w desde hace @y años.", "@n lleva @y años trabajando en @w y vive en @c.",
        "Después de @y años en @w, @n sigue con la misma curiosidad.",
        "@n vive en @c y trabaja en @w desde hace @y años.",
    ),
    "bio_first": (
        "Trabajo en @w desde hace @y años.", "Hola, soy @f y trabajo en @w en @c.",
        "Tengo @y años de experiencia en @w y me sigue encantando mi trabajo.",
        "Vivo en @c y trabajo en @w desde hace @y años.",
    ),
    "bio_interest": (
        "En mi tiempo libre me gusta @i y también @j.", "Los fines de semana son para @i y @j.",
        "Mis aficiones son @i y @j.", "Fuera del trabajo disfruto con @i y con @j.",
    ),
    "bio_interest_named": (
        "En su tiempo libre, a @f le gusta @i y también @j.", "Los fines de semana, @f disfruta con @i y con @j.",
        "Sus aficiones son @i y @j.",
    ),
    "bio_close": (
        "Siempre con ganas de un buen café y una buena conversación.", "Me encanta aprender cosas nuevas.",
        "Abierto a nuevos proyectos y colaboraciones.", "El trabajo bien hecho es mi prioridad.", "",
    ),
    "review_pos": (
        "Me encanta @p, es perfecto.", "Muy contento con @p.", "La verdad es que @p superó mis expectativas.",
        "Una compra excelente, recomiendo @p sin dudarlo.", "Estoy encantado con @p.",
    ),
    "review_pos_detail": (
        "La calidad es muy buena y el envío fue rápido.",
        "Lo uso todos los días desde hace @d días y no ha dado ningún problema.",
        "La relación calidad-precio es excelente.", "El servicio de atención respondió en menos de una hora.",
        "Los acabados son muy cuidados y el diseño es precioso.",
    ),
    "review_mix": (
        "@p está bien, sin más.", "Tengo sentimientos encontrados con @p.", "Para el precio no está mal, pero no es perfecto.",
        "Con @p tengo una opinión a medias.",
    ),
    "review_mix_detail": (
        "La calidad es correcta, pero las instrucciones son muy confusas.",
        "Funciona, pero la instalación fue más complicada de lo que debería.",
        "El envío tardó más de lo prometido, aunque llegó en buen estado.",
        "Es práctico para el día a día, aunque los acabados dejan que desear.",
    ),
    "review_neg": (
        "Muy decepcionado con @p.", "@p dejó de funcionar a los @d días.", "No recomiendo @p.",
        "Una auténtica decepción, me arrepiento de la compra.", "No malgastes tu dinero en @p.",
    ),
    "review_neg_detail": (
        "La calidad es pésima y el material parece barato.",
        "El servicio de atención nunca respondió a mis mensajes.",
        "El paquete llegó dañado y faltaba una pieza.", "Es ruidoso, frágil y demasiado caro.",
    ),
    "review_angry": (
        "Estoy realmente furioso.", "Es totalmente inaceptable.", "Qué pérdida de tiempo y de dinero.",
    ),
    "msg_greet": ("Hola,", "Buenos días,", "Estimado equipo de soporte,", ""),
    "msg_problem": (
        "Mi pedido @o todavía no ha llegado.", "Me han cobrado dos veces el pedido @o.",
        "No puedo restablecer mi contraseña.", "Falta un artículo en el paquete del pedido @o.",
        "El código de descuento no se aplicó a mi pedido.", "La aplicación me cierra la sesión cada pocos minutos.",
        "La factura muestra una dirección de envío que no es la mía.",
    ),
    "msg_request": (
        "¿Podrían revisarlo, por favor?", "Quedo a la espera de su respuesta.",
        "¿Me pueden devolver la diferencia?", "¿Podrían enviarme un artículo de sustitución?",
        "¿Cuándo puedo esperar una respuesta?",
    ),
    "msg_angry": (
        "Es la tercera vez que les escribo por este tema.", "Esto es inaceptable.", "Espero una respuesta hoy mismo.",
    ),
    "msg_sign": ("Gracias de antemano,", "Un saludo,", "Atentamente,"),
    "reply_open": ("Gracias por su mensaje.", "Gracias por ponerse en contacto con nosotros.", "Sentimos las molestias."),
    "reply_body": (
        "Hemos revisado su pedido @o y el paquete está en camino.",
        "Hemos realizado el reembolso; aparecerá en un plazo de tres a cinco días hábiles.",
        "Le enviamos hoy mismo un artículo de sustitución.", "Hemos trasladado su consulta a nuestro equipo técnico.",
        "Hemos aplicado el código de descuento manualmente.",
    ),
    "desc_open": (
        "Descubre @p, pensado para el día a día.", "@p combina un diseño elegante con materiales de calidad.",
        "Práctico y duradero, así es @p.", "Con @p tu rutina será mucho más sencilla.",
    ),
    "desc_detail": (
        "Está fabricado con materiales reciclados.", "Es fácil de limpiar y de guardar.",
        "Incluye dos años de garantía.", "Envío gratuito y devolución en treinta días.",
        "Ideal para espacios pequeños y para toda la familia.", "Disponible en cuatro colores.",
    ),
    "generic": (
        "El equipo terminó la primera fase un poco antes de lo previsto.",
        "Los comentarios de los clientes son en general positivos.",
        "Hemos ajustado el calendario a los nuevos plazos.",
        "El siguiente paso es una reunión de seguimiento con el cliente.",
        "Todo se instaló según lo acordado y funciona correctamente.",
        "El documento fue revisado y aprobado por la jefa de proyecto.",
        "Quedan algunas correcciones pequeñas antes del lanzamiento.",
    ),
    "short_pos": ("Perfecto.", "Muy bien.", "Genial.", "Excelente."),
    "short_mix": ("Correcto.", "Regular.", "No está mal."),
    "short_neg": ("Malo.", "Decepcionante.", "Evitar."),
    "short_generic": ("Anotado.", "Hecho.", "Revisado.", "Recibido."),
}

BANKS: dict[str, Bank] = {"fr": FR, "de": DE, "es": ES}
