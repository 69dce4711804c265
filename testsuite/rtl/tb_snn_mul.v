// Unit test of snn_mul: the full product rounded half up, saturated, four clocks later, for
// random signed operands (a new pair every clock); `en` low holds every stage; the LUT
// variant computes the same, at the same latency, for a sign row and for an unsigned one, and
// for every pair of operands at three more shapes (the Booth-recoded operand the narrower
// one, b or a, of an odd or even width; rounded or exact; saturating or not).
`timescale 1ns / 1ps
module tb_snn_mul;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg signed [9:0] a;
    reg signed [8:0] b;
    wire signed [9:0] y_dsp, y_lut, y_unsigned;
    snn_mul #(.A_W(10), .B_W(9), .OUT_W(10), .SHIFT(7)) dsp (.clk(clk), .en(en), .a(a), .b(b), .y(y_dsp));
    snn_mul #(.A_W(10), .B_W(9), .OUT_W(10), .SHIFT(7), .USE_DSP("no")) lut (.clk(clk), .en(en), .a(a), .b(b), .y(y_lut));
    // b as an unsigned 8-bit value widened by a zero sign bit.
    snn_mul #(.A_W(10), .B_W(9), .OUT_W(10), .SHIFT(7), .USE_DSP("no")) lut_unsigned (
        .clk(clk), .en(en), .a(a), .b({1'b0, b[7:0]}), .y(y_unsigned)
    );
    // Exhaustive shapes: 7 x 5 bits (b recoded, odd), 5 x 7 (a recoded), 6 x 6 exact.
    reg signed [6:0] ea;
    reg signed [6:0] eb;
    wire signed [5:0] y_b_odd;
    wire signed [5:0] y_a_odd;
    wire signed [11:0] y_exact;
    snn_mul #(.A_W(7), .B_W(5), .OUT_W(6), .SHIFT(3), .USE_DSP("no")) lut_b_odd (
        .clk(clk), .en(en), .a(ea), .b(eb[4:0]), .y(y_b_odd)
    );
    snn_mul #(.A_W(5), .B_W(7), .OUT_W(6), .SHIFT(2), .USE_DSP("no")) lut_a_odd (
        .clk(clk), .en(en), .a(ea[4:0]), .b(eb), .y(y_a_odd)
    );
    snn_mul #(.A_W(6), .B_W(6), .OUT_W(12), .SHIFT(0), .USE_DSP("no")) lut_exact (
        .clk(clk), .en(en), .a(ea[5:0]), .b(eb[5:0]), .y(y_exact)
    );
    integer n, errors, seed, p, i, k;
    integer want_e [0:3][0:2];
    // The product of av and bv rounded half up by `shift` bits, saturated to `width` bits.
    function integer shaped(input integer av, input integer bv, input integer shift, input integer width);
        integer prod, q, top;
        begin
            prod = av * bv + (shift > 0 ? 1 << (shift - 1) : 0);
            q = prod >= 0 ? prod / (1 << shift) : -((-prod + (1 << shift) - 1) / (1 << shift));
            top = (1 << (width - 1)) - 1;
            shaped = q > top ? top : q < -top - 1 ? -top - 1 : q;
        end
    endfunction
    integer want_q [0:3];
    integer want_u [0:3];
    function integer expected(input integer av, input integer bv);
        integer prod, q;
        begin
            prod = av * bv + 64;
            q = prod >= 0 ? prod / 128 : -((-prod + 127) / 128);
            expected = q > 511 ? 511 : q < -512 ? -512 : q;
        end
    endfunction
    initial begin
        errors = 0;
        seed = 7;
        a = 0; b = 0;
        for (n = 0; n < 4; n = n + 1) begin want_q[n] = 0; want_u[n] = 0; end
        @(negedge clk);
        for (n = 0; n < 400; n = n + 1) begin
            a = $random(seed);
            b = $random(seed);
            want_q[0] = expected(a, b);
            want_u[0] = expected(a, b[7:0]);
            @(negedge clk);
            // Operands set three clocks before this one come out now: four register stages.
            if (n >= 3 && (y_dsp !== want_q[3] || y_lut !== want_q[3])) begin
                errors = errors + 1;
                $display("FAIL step %0d: got %0d / %0d, want %0d", n, y_dsp, y_lut, want_q[3]);
            end
            if (n >= 3 && y_unsigned !== want_u[3]) begin
                errors = errors + 1;
                $display("FAIL unsigned step %0d: got %0d, want %0d", n, y_unsigned, want_u[3]);
            end
            want_q[3] = want_q[2];
            want_u[3] = want_u[2];
            want_q[2] = want_q[1];
            want_q[1] = want_q[0];
            want_u[2] = want_u[1];
            want_u[1] = want_u[0];
        end
        // A stall holds the result.
        p = y_dsp;
        en = 1'b0;
        a = 10'sd100; b = 9'sd100;
        repeat (4) @(negedge clk);
        if (y_dsp !== p) begin errors = errors + 1; $display("FAIL stall"); end
        // Saturation at both ends: (-512 * -256) and (-512 * 255).
        en = 1'b1;
        a = -10'sd512; b = -9'sd256;
        repeat (4) @(negedge clk);
        if (y_dsp !== 10'sd511 || y_lut !== 10'sd511) begin
            errors = errors + 1; $display("FAIL saturate high: %0d %0d", y_dsp, y_lut);
        end
        b = 9'sd255;
        repeat (4) @(negedge clk);
        if (y_dsp !== -10'sd512 || y_lut !== -10'sd512) begin
            errors = errors + 1; $display("FAIL saturate low: %0d %0d", y_dsp, y_lut);
        end
        // Every operand pair of the three shapes, a new pair every clock.
        for (n = 0; n < 4; n = n + 1) begin want_e[n][0] = 0; want_e[n][1] = 0; want_e[n][2] = 0; end
        for (i = 0; i < 128 * 128 + 3; i = i + 1) begin
            ea = i[13:7];
            eb = i[6:0];
            want_e[0][0] = shaped(ea, eb[4:0] - (eb[4] ? 32 : 0), 3, 6);
            want_e[0][1] = shaped(ea[4:0] - (ea[4] ? 32 : 0), eb, 2, 6);
            want_e[0][2] = shaped(ea[5:0] - (ea[5] ? 64 : 0), eb[5:0] - (eb[5] ? 64 : 0), 0, 12);
            @(negedge clk);
            if (i >= 3 && (y_b_odd !== want_e[3][0] || y_a_odd !== want_e[3][1] || y_exact !== want_e[3][2])) begin
                errors = errors + 1;
                if (errors < 10)
                    $display("FAIL pair %0d: got %0d %0d %0d, want %0d %0d %0d", i - 3, y_b_odd, y_a_odd,
                             y_exact, want_e[3][0], want_e[3][1], want_e[3][2]);
            end
            for (k = 0; k < 3; k = k + 1) begin
                want_e[3][k] = want_e[2][k];
                want_e[2][k] = want_e[1][k];
                want_e[1][k] = want_e[0][k];
            end
        end
        if (errors == 0) $display("PASS snn_mul");
        $finish;
    end
endmodule
